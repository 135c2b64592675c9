package jcnn.backend.cuda;

import jcnn.backend.BinaryOp;
import jcnn.backend.UnaryOp;
import jcuda.driver.CUdeviceptr;

/**
 * Bindings of {@code src/main/cuda/elementwise.cu}: fill, broadcasting binary ops, the unary family
 * and its backward, axpby and sumTo. The op codes are the Java enums' ordinals.
 */
final class ElementwiseKernels {
  private final CudaModule m;

  ElementwiseKernels(CudaContext cx) {
    this.m = cx.module("elementwise");
  }

  void fill(CUdeviceptr x, int n, float v) {
    m.launch1d("fill_v1", n, x, n, v);
  }

  /** out [n] viewed as [n/(d1 d2 d3), d1, d2, d3]; sa, sb: the operands' strides, 0 = broadcast. */
  void binary(
      BinaryOp op,
      int n,
      CUdeviceptr a,
      CUdeviceptr b,
      CUdeviceptr out,
      int[] d,
      int[] sa,
      int[] sb) {
    m.launch1d(
        "binary_v1_broadcast",
        n,
        op.ordinal(),
        n,
        a,
        b,
        out,
        d[1],
        d[2],
        d[3],
        sa[0],
        sa[1],
        sa[2],
        sa[3],
        sb[0],
        sb[1],
        sb[2],
        sb[3]);
  }

  void unary(UnaryOp op, int n, CUdeviceptr x, CUdeviceptr out) {
    m.launch1d("unary_v1", n, op.ordinal(), n, x, out);
  }

  void unaryBackward(
      UnaryOp op, int n, CUdeviceptr x, CUdeviceptr y, CUdeviceptr gy, CUdeviceptr gx) {
    m.launch1d("unary_backward_v1", n, op.ordinal(), n, x, y, gy, gx);
  }

  void axpby(int n, float alpha, CUdeviceptr x, float beta, CUdeviceptr y) {
    m.launch1d("axpby_v1", n, n, alpha, x, beta, y);
  }

  /** x dims and out dims both padded to rank 4; one block per output element. */
  void sumTo(CUdeviceptr x, CUdeviceptr out, int outN, int[] xd, int[] od) {
    if (outN == 0) {
      return;
    }
    m.launch(
        "sum_to_v1",
        Math.min(outN, 65535),
        1,
        CudaModule.BLOCK,
        1,
        x,
        out,
        outN,
        xd[0],
        xd[1],
        xd[2],
        xd[3],
        od[0],
        od[1],
        od[2],
        od[3]);
  }
}
