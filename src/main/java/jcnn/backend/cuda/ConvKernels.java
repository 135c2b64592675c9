package jcnn.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * Bindings of {@code src/main/cuda/conv.cu}: im2col and its adjoint col2im (gather form, no
 * atomics), and the two layout changes between the GEMM's [K, N*P*Q] and the tensor's [N, K, P*Q].
 * Shape legend: N batch, C in-channels, K out-channels, H x W input, R x S filter, P x Q output.
 */
final class ConvKernels {
  private final CudaModule m;

  ConvKernels(CudaContext cx) {
    this.m = cx.module("conv");
  }

  /** Geometry of one convolution, with the channel group [c0, c0 + cg) being worked on. */
  record Geometry(
      int n, int c, int h, int w, int r, int s, int p, int q, int sh, int sw, int ph, int pw) {}

  void im2col(CUdeviceptr x, CUdeviceptr col, Geometry g, int c0, int cg) {
    long count = (long) cg * g.r() * g.s() * g.n() * g.p() * g.q();
    m.launch1d(
        "im2col_v1",
        count,
        x,
        col,
        g.n(),
        g.c(),
        g.h(),
        g.w(),
        c0,
        cg,
        g.r(),
        g.s(),
        g.p(),
        g.q(),
        g.sh(),
        g.sw(),
        g.ph(),
        g.pw());
  }

  void col2im(CUdeviceptr col, CUdeviceptr gx, Geometry g, int c0, int cg) {
    long count = (long) g.n() * cg * g.h() * g.w();
    m.launch1d(
        "col2im_v1",
        count,
        col,
        gx,
        g.n(),
        g.c(),
        g.h(),
        g.w(),
        c0,
        cg,
        g.r(),
        g.s(),
        g.p(),
        g.q(),
        g.sh(),
        g.sw(),
        g.ph(),
        g.pw());
  }

  /** y[n, k0+k, pq] = src[k, n*PQ + pq] + bias[k0+k] (bias may be null). */
  void toNkpq(
      CUdeviceptr src, CUdeviceptr bias, CUdeviceptr y, int n, int k, int k0, int kg, int pq) {
    m.launch1d("nkpq_from_knpq_v1", (long) kg * n * pq, src, bias, y, n, k, k0, kg, pq);
  }

  /** dst[k, n*PQ + pq] = gy[n, k0+k, pq]. */
  void toKnpq(CUdeviceptr gy, CUdeviceptr dst, int n, int k, int k0, int kg, int pq) {
    m.launch1d("knpq_from_nkpq_v1", (long) kg * n * pq, gy, dst, n, k, k0, kg, pq);
  }
}
