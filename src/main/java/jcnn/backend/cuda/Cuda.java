package jcnn.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/**
 * Discovery of CUDA devices. {@link #probe} never throws: it reports what it found, or in one
 * sentence why there is no GPU (no driver library, no device, a driver too old for JCuda 12), for
 * {@code ./jcnn info} and for the message of {@code --device cuda} on a machine without a GPU.
 */
public final class Cuda {
  private Cuda() {}

  /** One device as the driver reports it. */
  public record Device(
      int index, String name, int ccMajor, int ccMinor, long totalMemory, int multiprocessors) {}

  /**
   * What this machine offers. {@code reason} is null when {@code available}; {@code cublas} says
   * whether JCublas (and so libcublas.so.12) loaded, {@code cublasReason} why not; {@code ptx}
   * whether this build carries the compiled kernels.
   */
  public record Info(
      boolean available,
      String reason,
      int driverVersion,
      List<Device> devices,
      boolean cublas,
      String cublasReason,
      boolean ptx) {}

  private static Info cached;

  /** Probes once per process; never throws. Loads JCuda's native driver binding. */
  public static synchronized Info probe() {
    if (cached == null) {
      cached = doProbe();
    }
    return cached;
  }

  private static Info doProbe() {
    boolean ptx = CudaModule.ptxPresent();
    int driver;
    List<Device> devices = new ArrayList<>();
    NativeLibs.install(); // before JCuda's own extraction, which two processes can race
    try {
      JCudaDriver.setExceptionsEnabled(true);
      JCudaDriver.cuInit(0);
      int[] v = new int[1];
      JCudaDriver.cuDriverGetVersion(v);
      driver = v[0];
      int[] count = new int[1];
      JCudaDriver.cuDeviceGetCount(count);
      for (int i = 0; i < count[0]; i++) {
        devices.add(describe(i));
      }
    } catch (Throwable t) {
      return new Info(false, explain(t), 0, List.of(), false, "no CUDA driver", ptx);
    }
    if (devices.isEmpty()) {
      return new Info(false, "the CUDA driver reports no device", driver, devices, false, "", ptx);
    }
    String cublasReason = CublasGemm.probe(0);
    return new Info(true, null, driver, devices, cublasReason == null, cublasReason, ptx);
  }

  private static Device describe(int index) {
    CUdevice dev = new CUdevice();
    JCudaDriver.cuDeviceGet(dev, index);
    byte[] name = new byte[256];
    JCudaDriver.cuDeviceGetName(name, name.length, dev);
    int len = 0;
    while (len < name.length && name[len] != 0) {
      len++;
    }
    long[] mem = new long[1];
    JCudaDriver.cuDeviceTotalMem(mem, dev);
    return new Device(
        index,
        new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII),
        attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
        attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
        mem[0],
        attribute(dev, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
  }

  private static int attribute(CUdevice dev, int attribute) {
    int[] v = new int[1];
    JCudaDriver.cuDeviceGetAttribute(v, attribute, dev);
    return v[0];
  }

  /** One sentence for a failure to load or initialise the driver. */
  static String explain(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append(' ');
    }
    String s = all.toString();
    if (s.contains("libcuda.so")) {
      return "no NVIDIA driver on this machine (libcuda.so.1 not found)";
    }
    if (s.contains("CUDA_ERROR_NO_DEVICE")) {
      return "the CUDA driver found no GPU (CUDA_ERROR_NO_DEVICE)";
    }
    if (s.contains("CUDA_ERROR_INSUFFICIENT_DRIVER")) {
      return "the NVIDIA driver is too old for JCuda 12 (CUDA_ERROR_INSUFFICIENT_DRIVER)";
    }
    if (t instanceof UnsatisfiedLinkError || t instanceof NoClassDefFoundError) {
      return "JCuda's native driver binding did not load: " + firstLine(s);
    }
    return "CUDA initialisation failed: " + firstLine(s);
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
