// test_pool.cpp: the kernels of pool.cu against RefPool's loops in double: ties (the first wins)
// and NaNs (the first NaN wins) for max pooling, padding never counted, odd windows and strides,
// LeNet-5's 2x2 pooling. Backward outputs start as NaN where the kernel must overwrite them.
#include "harness.h"

namespace {

struct Pool {
  int NC, H, W, kH, kW, sH, sW, pH, pW;
  int P() const { return (H + 2 * pH - kH) / sH + 1; }
  int Q() const { return (W + 2 * pW - kW) / sW + 1; }
  std::string name() const {
    return "x " + h::str({NC, H, W}) + " window " + h::str({kH, kW}) + " stride " +
           h::str({sH, sW}) + " pad " + h::str({pH, pW});
  }
};

const Pool kPools[] = {
    {6, 7, 7, 3, 3, 2, 2, 1, 1},     // overlapping windows with padding
    {40, 24, 24, 2, 2, 2, 2, 0, 0},  // LeNet-5 pool1 (batch 2 x 20 channels)
    {3, 5, 9, 2, 3, 1, 2, 1, 0},     // odd everything
    {2, 7, 7, 7, 7, 1, 1, 0, 0},     // global
    {5, 1, 1, 1, 1, 1, 1, 0, 0},     // 1x1
    {1, 33, 13, 3, 2, 3, 1, 2, 1},   // stride 3, padding 2
};

void testMax(const Pool& pl, h::Rng& rng) {
  const int P = pl.P(), Q = pl.Q(), n = pl.NC * pl.H * pl.W, on = pl.NC * P * Q;
  std::vector<float> x(n);
  for (int i = 0; i < n; i++) {
    x[i] = (float)rng.integer(-2, 3);  // few distinct values: many ties
  }
  for (int i = 5; i < n; i += 37) {
    x[i] = NAN;
  }
  std::vector<double> yref(on);
  std::vector<int> aref(on);
  for (int o = 0; o < on; o++) {
    int q = o % Q, p = o / Q % P, plane = o / (Q * P);
    int best = -1;
    for (int r = 0; r < pl.kH; r++)
      for (int s = 0; s < pl.kW; s++) {
        int h = p * pl.sH - pl.pH + r, w = q * pl.sW - pl.pW + s;
        if (h < 0 || h >= pl.H || w < 0 || w >= pl.W) continue;
        float v = x[plane * pl.H * pl.W + h * pl.W + w];
        float b = best < 0 ? 0 : x[plane * pl.H * pl.W + best];
        if (best < 0 || v > b || (std::isnan(v) && !std::isnan(b))) best = h * pl.W + w;
      }
    aref[o] = best;
    yref[o] = x[plane * pl.H * pl.W + best];
  }
  std::vector<float> y(on, -99.0f);
  std::vector<int> am(on, -7);
  emu::launch(h::gridFor(on), dim3(256), maxpool_fwd_v1, x.data(), y.data(), am.data(), pl.NC,
              pl.H, pl.W, P, Q, pl.kH, pl.kW, pl.sH, pl.sW, pl.pH, pl.pW);
  h::check("maxpool_fwd_v1", pl.name(), y, yref, 0, 0);
  h::checkExact("maxpool_fwd_v1", pl.name() + " argmax", am.data(), aref.data(), on);
  // Backward: gy routed to the (reference) argmax, summed where windows overlap.
  std::vector<float> gy = rng.vec(on), gx(n, NAN);
  std::vector<double> gref(n, 0.0);
  for (int o = 0; o < on; o++) {
    gref[(o / (P * Q)) * pl.H * pl.W + aref[o]] += gy[o];
  }
  emu::launch(h::gridFor(n), dim3(256), fill_v1, gx.data(), n, 0.0f);
  emu::launch(dim3(2), dim3(256), maxpool_bwd_v1, gy.data(), aref.data(), gx.data(), pl.NC, pl.H,
              pl.W, P, Q);
  h::check("maxpool_bwd_v1", pl.name(), gx, gref, 1e-6, 1e-6);
}

void testAvg(const Pool& pl, h::Rng& rng) {
  const int P = pl.P(), Q = pl.Q(), n = pl.NC * pl.H * pl.W, on = pl.NC * P * Q;
  std::vector<float> x = rng.vec(n), gy = rng.vec(on);
  std::vector<double> yref(on), gref(n, 0.0);
  for (int o = 0; o < on; o++) {
    int q = o % Q, p = o / Q % P, plane = o / (Q * P);
    double sum = 0;
    int count = 0;
    for (int r = 0; r < pl.kH; r++)
      for (int s = 0; s < pl.kW; s++) {
        int h = p * pl.sH - pl.pH + r, w = q * pl.sW - pl.pW + s;
        if (h < 0 || h >= pl.H || w < 0 || w >= pl.W) continue;
        sum += x[plane * pl.H * pl.W + h * pl.W + w];
        count++;
      }
    yref[o] = (float)(sum / count);
    for (int r = 0; r < pl.kH; r++)
      for (int s = 0; s < pl.kW; s++) {
        int h = p * pl.sH - pl.pH + r, w = q * pl.sW - pl.pW + s;
        if (h < 0 || h >= pl.H || w < 0 || w >= pl.W) continue;
        gref[plane * pl.H * pl.W + h * pl.W + w] += gy[o] / (double)count;
      }
  }
  std::vector<float> y(on, NAN), gx(n, NAN);
  emu::launch(h::gridFor(on), dim3(256), avgpool_fwd_v1, x.data(), y.data(), pl.NC, pl.H, pl.W, P,
              Q, pl.kH, pl.kW, pl.sH, pl.sW, pl.pH, pl.pW);
  h::check("avgpool_fwd_v1", pl.name(), y, yref, 1e-6, 1e-5);
  emu::launch(dim3(3), dim3(256), avgpool_bwd_v1, gy.data(), gx.data(), pl.NC, pl.H, pl.W, P, Q,
              pl.kH, pl.kW, pl.sH, pl.sW, pl.pH, pl.pW);
  h::check("avgpool_bwd_v1", pl.name(), gx, gref, 1e-6, 1e-5);
}

}  // namespace

void testPool() {
  h::Rng rng(13);
  for (const Pool& pl : kPools) {
    testMax(pl, rng);
    testAvg(pl, rng);
  }
}
