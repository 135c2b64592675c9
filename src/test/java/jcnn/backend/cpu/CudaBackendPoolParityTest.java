package jcnn.backend.cpu;

import jcnn.backend.Backend;
import jcnn.backend.cuda.CudaTestSupport;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every test of {@link CpuBackendPoolParityTest}, run on the CUDA backend: each kernel against the
 * reference backend, same shapes and tolerances. Skipped where there is no GPU. It lives in this
 * package to inherit the package-private test methods.
 */
public class CudaBackendPoolParityTest extends CpuBackendPoolParityTest {
  @BeforeEach
  void needsGpu() {
    CudaTestSupport.assumeGpu();
  }

  @Override
  protected Backend under(int threads) {
    return CudaTestSupport.backend();
  }
}
