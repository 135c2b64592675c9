package jcnn.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * One PTX module ({@code /jcnn/cuda/<family>.ptx} on the classpath, compiled from {@code
 * src/main/cuda/<family>.cu} by the Maven build) and launches of its kernels. Kernel arguments are
 * passed as Java values: Integer, Float, Long, or a CUdeviceptr (null for a NULL pointer). A failed
 * launch becomes a {@link CudaException} naming the kernel and its configuration.
 */
final class CudaModule {
  static final String NO_PTX =
      "--device cuda: this jcnn was built without nvcc, so it carries no CUDA kernels (PTX);"
          + " put nvcc on the PATH and rebuild (mvn -B package)";

  /** Threads per block of the grid-stride kernels. */
  static final int BLOCK = 256;

  /** Enough blocks of {@link #BLOCK} to fill any current GPU; grid-stride loops do the rest. */
  static final int MAX_BLOCKS = 4096;

  private final CudaContext cx;
  private final String family;
  private final CUmodule module;
  private final Map<String, CUfunction> functions = new HashMap<>();

  private CudaModule(CudaContext cx, String family, CUmodule module) {
    this.cx = cx;
    this.family = family;
    this.module = module;
  }

  /** Whether this build carries the PTX (gemm.ptx stands for all). */
  static boolean ptxPresent() {
    return CudaModule.class.getResource("/jcnn/cuda/gemm.ptx") != null;
  }

  static CudaModule load(CudaContext cx, String family) {
    byte[] ptx;
    try (InputStream in = CudaModule.class.getResourceAsStream("/jcnn/cuda/" + family + ".ptx")) {
      if (in == null) {
        throw new CudaException(NO_PTX + " (missing /jcnn/cuda/" + family + ".ptx)");
      }
      byte[] text = in.readAllBytes();
      ptx = Arrays.copyOf(text, text.length + 1); // the driver wants a NUL-terminated string
    } catch (IOException e) {
      throw new CudaException("cannot read /jcnn/cuda/" + family + ".ptx: " + e.getMessage(), e);
    }
    CUmodule m = new CUmodule();
    try {
      JCudaDriver.cuModuleLoadData(m, ptx);
    } catch (jcuda.CudaException e) {
      throw new CudaException(
          "loading " + family + ".ptx failed (" + e.getMessage() + "); is the driver too old?", e);
    }
    return new CudaModule(cx, family, m);
  }

  private synchronized CUfunction function(String kernel) {
    CUfunction f = functions.get(kernel);
    if (f == null) {
      f = new CUfunction();
      try {
        JCudaDriver.cuModuleGetFunction(f, module, kernel);
      } catch (jcuda.CudaException e) {
        throw new CudaException(
            "kernel " + kernel + " not found in " + family + ".ptx: " + e.getMessage(), e);
      }
      functions.put(kernel, f);
    }
    return f;
  }

  /** Launches {@code kernel} on a grid of gx x gy blocks of bx x by threads. */
  void launch(String kernel, int gx, int gy, int bx, int by, Object... args) {
    launch3(kernel, gx, gy, 1, bx, by, args);
  }

  /** Launches {@code kernel} on a grid of gx x gy x gz blocks of bx x by threads. */
  void launch3(String kernel, int gx, int gy, int gz, int bx, int by, Object... args) {
    CUfunction f = function(kernel);
    Pointer[] params = new Pointer[args.length];
    for (int i = 0; i < args.length; i++) {
      params[i] = param(kernel, i, args[i]);
    }
    cx.makeCurrent();
    try {
      JCudaDriver.cuLaunchKernel(f, gx, gy, gz, bx, by, 1, 0, null, Pointer.to(params), null);
    } catch (jcuda.CudaException e) {
      throw new CudaException(
          String.format(
              "kernel %s (%s.cu), grid %dx%dx%d, block %dx%d: %s",
              kernel, family, gx, gy, gz, bx, by, e.getMessage()),
          e);
    }
    cx.launched(kernel);
  }

  /** A grid-stride launch over {@code n} items: block 256, up to 4096 blocks. */
  void launch1d(String kernel, long n, Object... args) {
    if (n <= 0) {
      return;
    }
    launch(kernel, blocks(n), 1, BLOCK, 1, args);
  }

  static int blocks(long n) {
    return (int) Math.min(MAX_BLOCKS, (n + BLOCK - 1) / BLOCK);
  }

  private static Pointer param(String kernel, int i, Object a) {
    if (a == null) {
      return Pointer.to(new CUdeviceptr());
    }
    if (a instanceof CUdeviceptr p) {
      return Pointer.to(p);
    }
    if (a instanceof Integer v) {
      return Pointer.to(new int[] {v});
    }
    if (a instanceof Float v) {
      return Pointer.to(new float[] {v});
    }
    if (a instanceof Long v) {
      return Pointer.to(new long[] {v});
    }
    throw new IllegalArgumentException(
        "kernel " + kernel + ": argument " + i + " has unsupported type " + a.getClass());
  }
}
