// test_conv.cpp: the kernels of conv.cu one by one (im2col and the layout kernels are copies, so
// they must match exactly; col2im against a double scatter adjoint, other channels untouched),
// then whole convolutions composed from them and sgemm_v3_regblock the way CudaBackend composes
// them (per group), against a direct double-precision convolution like RefConv: forward, backward
// data and backward weight, with stride, padding, groups and depthwise, on odd shapes and LeNet-5.
#include "harness.h"

namespace {

struct Conv {
  int N, C, H, W, K, R, S, sH, sW, pH, pW, G;
  int P() const { return (H + 2 * pH - R) / sH + 1; }
  int Q() const { return (W + 2 * pW - S) / sW + 1; }
  int Cg() const { return C / G; }
  int Kg() const { return K / G; }
  std::string name() const {
    return "x " + h::str({N, C, H, W}) + " w " + h::str({K, Cg(), R, S}) + " stride " +
           h::str({sH, sW}) + " pad " + h::str({pH, pW}) + " groups " + std::to_string(G);
  }
  size_t xi(int n, int c, int h, int w) const { return (((size_t)n * C + c) * H + h) * W + w; }
  size_t wi(int k, int c, int r, int s) const { return (((size_t)k * Cg() + c) * R + r) * S + s; }
  size_t yi(int n, int k, int p, int q) const {
    return (((size_t)n * K + k) * P() + p) * Q() + q;
  }
};

const Conv kConvs[] = {
    {2, 20, 12, 12, 50, 5, 5, 1, 1, 0, 0, 1},  // LeNet-5 conv2
    {1, 3, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1},      // odd everything
    {2, 6, 9, 9, 9, 3, 3, 2, 2, 1, 1, 3},      // grouped
    {1, 7, 33, 33, 7, 3, 3, 1, 1, 1, 1, 7},    // depthwise
    {2, 8, 7, 7, 16, 1, 1, 1, 1, 0, 0, 1},     // 1x1
    {1, 2, 11, 13, 3, 5, 4, 3, 2, 2, 1, 1},    // stride 3x2, pad 2x1
};

/** Calls fn(n, k, p, q, c, r, s, h, w) for every in-bounds term x[n, c, h, w] * w[k, c-c0, r, s]. */
template <class F>
void forEachTerm(const Conv& cv, F fn) {
  for (int n = 0; n < cv.N; n++)
    for (int k = 0; k < cv.K; k++)
      for (int p = 0; p < cv.P(); p++)
        for (int q = 0; q < cv.Q(); q++)
          for (int c = 0; c < cv.Cg(); c++)
            for (int r = 0; r < cv.R; r++)
              for (int s = 0; s < cv.S; s++) {
                int h = p * cv.sH - cv.pH + r, w = q * cv.sW - cv.pW + s;
                if (h >= 0 && h < cv.H && w >= 0 && w < cv.W) {
                  fn(n, k, p, q, c, r, s, h, w);
                }
              }
}

void testParts(const Conv& cv, h::Rng& rng) {
  const int P = cv.P(), Q = cv.Q(), Cg = cv.Cg(), Kg = cv.Kg();
  const int npq = cv.N * P * Q, rows = Cg * cv.R * cv.S;
  std::vector<float> x = rng.vec((size_t)cv.N * cv.C * cv.H * cv.W);
  for (int g = 0; g < cv.G; g++) {
    const int c0 = g * Cg, k0 = g * Kg;
    const std::string kase = cv.name() + " group " + std::to_string(g);
    // im2col: an exact copy.
    std::vector<double> ref((size_t)rows * npq, 0.0);
    for (int c = 0; c < Cg; c++)
      for (int r = 0; r < cv.R; r++)
        for (int s = 0; s < cv.S; s++)
          for (int n = 0; n < cv.N; n++)
            for (int p = 0; p < P; p++)
              for (int q = 0; q < Q; q++) {
                int h = p * cv.sH - cv.pH + r, w = q * cv.sW - cv.pW + s;
                if (h >= 0 && h < cv.H && w >= 0 && w < cv.W) {
                  ref[(size_t)((c * cv.R + r) * cv.S + s) * npq + (n * P + p) * Q + q] =
                      x[cv.xi(n, c0 + c, h, w)];
                }
              }
    std::vector<float> col(ref.size(), NAN);
    emu::launch(h::gridFor(col.size()), dim3(256), im2col_v1, x.data(), col.data(), cv.N, cv.C,
                cv.H, cv.W, c0, Cg, cv.R, cv.S, P, Q, cv.sH, cv.sW, cv.pH, cv.pW);
    h::check("im2col_v1", kase, col, ref, 0, 0);
    // col2im: the adjoint, scattered in double; channels outside the group keep their guard.
    std::vector<float> colIn = rng.vec(col.size());
    std::vector<double> gref(x.size(), 5.0);
    for (int n = 0; n < cv.N; n++)
      for (int c = 0; c < Cg; c++)
        for (int h = 0; h < cv.H; h++)
          for (int w = 0; w < cv.W; w++) {
            gref[cv.xi(n, c0 + c, h, w)] = 0.0;
          }
    for (size_t i = 0; i < colIn.size(); i++) {
      int column = i % npq, row = i / npq;
      int q = column % Q, p = column / Q % P, n = column / (Q * P);
      int s = row % cv.S, r = row / cv.S % cv.R, c = row / (cv.S * cv.R);
      int h = p * cv.sH - cv.pH + r, w = q * cv.sW - cv.pW + s;
      if (h >= 0 && h < cv.H && w >= 0 && w < cv.W) {
        gref[cv.xi(n, c0 + c, h, w)] += colIn[i];
      }
    }
    std::vector<float> gx(x.size(), 5.0f);
    emu::launch(dim3(3), dim3(256), col2im_v1, colIn.data(), gx.data(), cv.N, cv.C, cv.H, cv.W, c0,
                Cg, cv.R, cv.S, P, Q, cv.sH, cv.sW, cv.pH, cv.pW);
    h::check("col2im_v1", kase, gx, gref, 1e-5, 1e-5);
    // The layout kernels: exact copies (plus bias), other channels untouched.
    std::vector<float> src = rng.vec((size_t)Kg * npq), bias = rng.vec(cv.K);
    for (int withBias = 0; withBias < 2; withBias++) {
      std::vector<float> y((size_t)cv.N * cv.K * P * Q, 9.0f);
      std::vector<double> yref(y.size(), 9.0);
      for (int k = 0; k < Kg; k++)
        for (int n = 0; n < cv.N; n++)
          for (int pq = 0; pq < P * Q; pq++) {
            yref[((size_t)n * cv.K + k0 + k) * P * Q + pq] =
                (float)src[(size_t)k * npq + n * P * Q + pq] + (withBias ? bias[k0 + k] : 0.0f);
          }
      emu::launch(h::gridFor(npq * Kg), dim3(256), nkpq_from_knpq_v1, src.data(),
                  withBias ? bias.data() : nullptr, y.data(), cv.N, cv.K, k0, Kg, P * Q);
      h::check("nkpq_from_knpq_v1", kase + (withBias ? " bias" : ""), y, yref, 0, 0);
    }
    std::vector<float> gy = rng.vec((size_t)cv.N * cv.K * P * Q), dst(src.size(), NAN);
    std::vector<double> dref(dst.size());
    for (int k = 0; k < Kg; k++)
      for (int n = 0; n < cv.N; n++)
        for (int pq = 0; pq < P * Q; pq++) {
          dref[(size_t)k * npq + n * P * Q + pq] = gy[((size_t)n * cv.K + k0 + k) * P * Q + pq];
        }
    emu::launch(dim3(2), dim3(256), knpq_from_nkpq_v1, gy.data(), dst.data(), cv.N, cv.K, k0, Kg,
                P * Q);
    h::check("knpq_from_nkpq_v1", kase, dst, dref, 0, 0);
  }
}

void gemm(int M, int N, int K, const float* A, int lda, int ta, const float* B, int ldb, int tb,
          float* C, int ldc) {
  emu::launch(dim3((N + 127) / 128, (M + 127) / 128), dim3(256), sgemm_v3_regblock, M, N, K, 1.0f,
              A, lda, ta, B, ldb, tb, 0.0f, C, ldc);
}

/** The three convolution passes as CudaBackend composes them, against direct double loops. */
void testComposed(const Conv& cv, h::Rng& rng) {
  const int P = cv.P(), Q = cv.Q(), Cg = cv.Cg(), Kg = cv.Kg();
  const int npq = cv.N * P * Q, rows = Cg * cv.R * cv.S;
  std::vector<float> x = rng.vec((size_t)cv.N * cv.C * cv.H * cv.W);
  std::vector<float> wt = rng.vec((size_t)cv.K * rows), bias = rng.vec(cv.K);
  std::vector<float> gy = rng.vec((size_t)cv.N * cv.K * P * Q);
  std::vector<double> yref(gy.size()), gxref(x.size(), 0.0), gwref(wt.size(), 0.0);
  for (int n = 0; n < cv.N; n++)
    for (int k = 0; k < cv.K; k++)
      for (int p = 0; p < P; p++)
        for (int q = 0; q < Q; q++) {
          yref[cv.yi(n, k, p, q)] = bias[k];
        }
  forEachTerm(cv, [&](int n, int k, int p, int q, int c, int r, int s, int h, int w) {
    int cIn = (k / Kg) * Cg + c;
    yref[cv.yi(n, k, p, q)] += (double)x[cv.xi(n, cIn, h, w)] * wt[cv.wi(k, c, r, s)];
    gxref[cv.xi(n, cIn, h, w)] += (double)gy[cv.yi(n, k, p, q)] * wt[cv.wi(k, c, r, s)];
    gwref[cv.wi(k, c, r, s)] += (double)gy[cv.yi(n, k, p, q)] * x[cv.xi(n, cIn, h, w)];
  });
  std::vector<float> col((size_t)rows * npq), out((size_t)Kg * npq);
  std::vector<float> y(gy.size(), NAN), gx(x.size(), NAN), gw(wt.size(), NAN);
  for (int g = 0; g < cv.G; g++) {
    const int c0 = g * Cg, k0 = g * Kg;
    const float* wg = wt.data() + (size_t)k0 * rows;  // [Kg, Cg*R*S]
    emu::launch(h::gridFor(col.size()), dim3(256), im2col_v1, x.data(), col.data(), cv.N, cv.C,
                cv.H, cv.W, c0, Cg, cv.R, cv.S, P, Q, cv.sH, cv.sW, cv.pH, cv.pW);
    gemm(Kg, npq, rows, wg, rows, 0, col.data(), npq, 0, out.data(), npq);
    emu::launch(h::gridFor(out.size()), dim3(256), nkpq_from_knpq_v1, out.data(), bias.data(),
                y.data(), cv.N, cv.K, k0, Kg, P * Q);
    // Backward weight: gw_g [Kg, Cg*R*S] = gy_g [Kg, N*P*Q] x col^T.
    emu::launch(h::gridFor(out.size()), dim3(256), knpq_from_nkpq_v1, gy.data(), out.data(), cv.N,
                cv.K, k0, Kg, P * Q);
    gemm(Kg, rows, npq, out.data(), npq, 0, col.data(), npq, 1, gw.data() + (size_t)k0 * rows,
         rows);
    // Backward data: col = w_g^T [Cg*R*S, Kg] x gy_g, folded back into gx's channels.
    gemm(rows, npq, Kg, wg, rows, 1, out.data(), npq, 0, col.data(), npq);
    emu::launch(h::gridFor(x.size()), dim3(256), col2im_v1, col.data(), gx.data(), cv.N, cv.C, cv.H,
                cv.W, c0, Cg, cv.R, cv.S, P, Q, cv.sH, cv.sW, cv.pH, cv.pW);
  }
  const double atol = 1e-4 + 1e-6 * std::max(rows, npq);
  h::check("conv forward (im2col + sgemm_v3 + nkpq)", cv.name(), y, yref, atol, 1e-5);
  h::check("conv backward data (sgemm_v3 + col2im)", cv.name(), gx, gxref, atol, 1e-5);
  h::check("conv backward weight (knpq + sgemm_v3)", cv.name(), gw, gwref, atol, 1e-5);
}

}  // namespace

void testConv() {
  h::Rng rng(11);
  for (const Conv& cv : kConvs) {
    testParts(cv, rng);
    testComposed(cv, rng);
  }
}
