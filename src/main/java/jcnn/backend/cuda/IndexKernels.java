package jcnn.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Bindings of {@code src/main/cuda/index.cu}: gather and scatter-add (weight sharing's forward and
 * its codebook-gradient aggregation), the counter-based dropout mask (bit-exact with the CPU's
 * DropoutHash) and the slice copies of concat and split.
 */
final class IndexKernels {
  private final CudaModule m;

  IndexKernels(CudaContext cx) {
    this.m = cx.module("index");
  }

  void gather(CUdeviceptr table, CUdeviceptr idx, CUdeviceptr out, int n) {
    m.launch1d("gather_v1", n, table, idx, out, n);
  }

  void scatterAdd(CUdeviceptr src, CUdeviceptr idx, CUdeviceptr table, int n) {
    m.launch1d("scatter_add_v1", n, src, idx, table, n);
  }

  void dropoutMask(CUdeviceptr mask, int n, long seed, float p, float scale) {
    m.launch1d("dropout_mask_v1", n, mask, n, seed, p, scale);
  }

  /**
   * Copies between a part [outer, partAxis, inner] and its slice at axisOffset of the whole [outer,
   * wholeAxis, inner]: into the whole when toWhole (concat), else into the part (split).
   */
  void sliceCopy(
      CUdeviceptr part,
      CUdeviceptr whole,
      int outer,
      int partAxis,
      int wholeAxis,
      int axisOffset,
      int inner,
      boolean toWhole) {
    long n = (long) outer * partAxis * inner;
    // The kernel reads its first pointer and writes its second; the axis lengths follow them.
    if (toWhole) {
      m.launch1d(
          "concat_copy_v1", n, part, whole, outer, partAxis, wholeAxis, axisOffset, inner, 1);
    } else {
      m.launch1d(
          "concat_copy_v1", n, whole, part, outer, wholeAxis, partAxis, axisOffset, inner, 0);
    }
  }
}
