package jcnn.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared by the GPU tests: skips (a JUnit assumption, so CI on CPU-only machines stays green and
 * the report says why) unless a GPU, its driver and this build's PTX are all present, and hands out
 * one CudaBackend per test run.
 */
public final class CudaTestSupport {
  private static CudaBackend backend;

  private CudaTestSupport() {}

  /** Skips the calling test class or test unless the CUDA backend can run here. */
  public static void assumeGpu() {
    Cuda.Info info = Cuda.probe();
    assumeTrue(info.available(), () -> "no GPU: " + info.reason());
    assumeTrue(info.ptx(), "this build has no PTX (nvcc was not on the PATH)");
  }

  /** The GPU backend (device 0), created on first use; call {@link #assumeGpu} first. */
  public static synchronized CudaBackend backend() {
    if (backend == null) {
      backend = new CudaBackend(0);
    }
    return backend;
  }
}
