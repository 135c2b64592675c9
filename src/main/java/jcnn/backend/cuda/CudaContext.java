package jcnn.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * One device's primary context (shared with cuBLAS), its memory pool and its loaded PTX modules.
 * All work goes to the default stream, in order; host copies are synchronous, so a download waits
 * for the kernels before it. Any thread may use the context: {@link #makeCurrent} binds it once per
 * thread.
 *
 * <p>Kernel launches return before the kernel runs, so a kernel that faults is reported by the next
 * call that waits for the device. The context remembers the last kernel launched and names it in
 * that error; with {@code JCNN_CUDA_SYNC=1} (or {@code -Djcnn.cuda.sync=true}) every launch is
 * followed by a synchronisation, so the error names exactly the failing kernel.
 */
public final class CudaContext {
  private static final Map<Integer, CudaContext> OPEN = new HashMap<>();

  private final Cuda.Device device;
  private final CUcontext ctx;
  private final DevicePool pool;
  private final Map<String, CudaModule> modules = new HashMap<>();
  private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
  private final boolean syncEachLaunch;
  private volatile String lastKernel = "(none yet)";

  private CudaContext(Cuda.Device device) {
    this.device = device;
    CUdevice dev = new CUdevice();
    JCudaDriver.cuDeviceGet(dev, device.index());
    this.ctx = new CUcontext();
    JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
    JCudaDriver.cuCtxSetCurrent(ctx);
    current.set(true);
    this.pool = new DevicePool(Math.max(1L << 30, device.totalMemory() / 5 * 2));
    this.syncEachLaunch =
        "1".equals(System.getenv("JCNN_CUDA_SYNC")) || Boolean.getBoolean("jcnn.cuda.sync");
  }

  /**
   * The context of device {@code index}, created on first use. Throws {@link CudaException} with
   * one clear sentence when there is no usable GPU or this build has no PTX.
   */
  public static synchronized CudaContext open(int index) {
    CudaContext cx = OPEN.get(index);
    if (cx != null) {
      return cx;
    }
    Cuda.Info info = Cuda.probe();
    if (!info.available()) {
      throw new CudaException("--device cuda: " + info.reason());
    }
    if (index < 0 || index >= info.devices().size()) {
      throw new CudaException(
          "--device cuda:" + index + ": this machine has " + info.devices().size() + " GPU(s)");
    }
    if (!info.ptx()) {
      throw new CudaException(CudaModule.NO_PTX);
    }
    cx = new CudaContext(info.devices().get(index));
    OPEN.put(index, cx);
    return cx;
  }

  public Cuda.Device device() {
    return device;
  }

  DevicePool pool() {
    return pool;
  }

  /** Binds this context to the calling thread (once per thread). */
  void makeCurrent() {
    if (!current.get()) {
      JCudaDriver.cuCtxSetCurrent(ctx);
      current.set(true);
    }
  }

  /** The module compiled from {@code src/main/cuda/<family>.cu}, loaded on first use. */
  synchronized CudaModule module(String family) {
    makeCurrent();
    return modules.computeIfAbsent(family, f -> CudaModule.load(this, f));
  }

  void launched(String kernel) {
    lastKernel = kernel;
    if (syncEachLaunch) {
      synchronize();
    }
  }

  /** Waits for all queued work; a failure names the last kernel launched. */
  public void synchronize() {
    makeCurrent();
    try {
      JCudaDriver.cuCtxSynchronize();
    } catch (jcuda.CudaException e) {
      throw failure("synchronize", e);
    }
  }

  void copyToHost(Pointer host, CUdeviceptr src, long bytes) {
    makeCurrent();
    try {
      JCudaDriver.cuMemcpyDtoH(host, src, bytes);
    } catch (jcuda.CudaException e) {
      throw failure("copy to host", e);
    }
  }

  void copyToDevice(CUdeviceptr dst, Pointer host, long bytes) {
    makeCurrent();
    try {
      JCudaDriver.cuMemcpyHtoD(dst, host, bytes);
    } catch (jcuda.CudaException e) {
      throw failure("copy to device", e);
    }
  }

  void zero(CUdeviceptr dst, long floats) {
    makeCurrent();
    try {
      JCudaDriver.cuMemsetD32(dst, 0, floats);
    } catch (jcuda.CudaException e) {
      throw failure("memset", e);
    }
  }

  /** Bytes of device memory held by live tensors, cached for reuse, and taken from the driver. */
  public long[] memoryStats() {
    return new long[] {pool.inUse(), pool.cachedBytes(), pool.allocatedFromDriver()};
  }

  CudaException failure(String what, jcuda.CudaException e) {
    return new CudaException(
        what
            + " failed: "
            + e.getMessage()
            + "; the last kernel launched was "
            + lastKernel
            + (syncEachLaunch ? "" : " (set JCNN_CUDA_SYNC=1 to check after every launch)"),
        e);
  }
}
