// test_norm.cpp: the kernels of norm.cu against RefNorm's formulas in double, training and eval,
// 2-D ([N, C], HW = 1) and 4-D inputs, the full grid (one block per channel) and a small one.
#include "harness.h"

namespace {

struct Bn {
  int N, C, HW;
  std::string name() const { return "x " + h::str({N, C, HW}); }
};

const Bn kShapes[] = {{2, 3, 5}, {4, 50, 64}, {7, 33, 1}, {1, 1, 127}, {2, 1, 1}, {3, 7, 33}};

void testShape(const Bn& b, h::Rng& rng) {
  const int n = b.N * b.C * b.HW, m = b.N * b.HW;
  std::vector<float> x = rng.vec(n, -2, 3), gy = rng.vec(n), gamma = rng.vec(b.C, 0.5f, 1.5f),
                     beta = rng.vec(b.C);
  std::vector<float> run0 = rng.vec(b.C), runVar0 = rng.vec(b.C, 0.5f, 2.0f);
  const float momentum = 0.1f, eps = 1e-5f;
  auto at = [&](int i, int c, int j) { return ((size_t)i * b.C + c) * b.HW + j; };
  for (int training = 0; training < 2; training++) {
    const std::string kase = b.name() + (training ? " training" : " eval");
    std::vector<double> mean(b.C), invStd(b.C), runM(b.C), runV(b.C);
    for (int c = 0; c < b.C; c++) {
      double mu = 0, var = 0;
      for (int i = 0; i < b.N; i++)
        for (int j = 0; j < b.HW; j++) mu += x[at(i, c, j)];
      mu /= m;
      for (int i = 0; i < b.N; i++)
        for (int j = 0; j < b.HW; j++) var += (x[at(i, c, j)] - mu) * (x[at(i, c, j)] - mu);
      var /= m;
      if (training) {
        runM[c] = (float)((1.0 - momentum) * run0[c] + momentum * mu);
        runV[c] = (float)((1.0 - momentum) * runVar0[c] + momentum * (var * m / (m - 1)));
      } else {
        mu = run0[c];
        var = runVar0[c];
        runM[c] = run0[c];
        runV[c] = runVar0[c];
      }
      mean[c] = (float)mu;
      invStd[c] = (float)(1 / std::sqrt(var + eps));
    }
    for (int small = 0; small < 2; small++) {
      std::vector<float> gm(b.C, NAN), gi(b.C, NAN), rm = run0, rv = runVar0;
      emu::launch(small ? dim3(2) : dim3(b.C), dim3(256), bn_stats_v1, x.data(), gm.data(),
                  gi.data(), rm.data(), rv.data(), b.N, b.C, b.HW, momentum, eps, training);
      h::check("bn_stats_v1", kase + " mean", gm, mean, 1e-6, 1e-6);
      h::check("bn_stats_v1", kase + " invStd", gi, invStd, 1e-6, 1e-6);
      h::check("bn_stats_v1", kase + " runningMean", rm, runM, 1e-6, 1e-6);
      h::check("bn_stats_v1", kase + " runningVar", rv, runV, 1e-6, 1e-6);
    }
    // The later kernels take the reference statistics (as floats), so each is tested alone.
    std::vector<float> fm(mean.begin(), mean.end()), fi(invStd.begin(), invStd.end());
    std::vector<double> yref(n), gxref(n), gG(b.C), gB(b.C);
    for (int c = 0; c < b.C; c++) {
      double sumGy = 0, sumGyXhat = 0;
      for (int i = 0; i < b.N; i++)
        for (int j = 0; j < b.HW; j++) {
          size_t k = at(i, c, j);
          yref[k] = (float)(gamma[c] * (x[k] - (double)fm[c]) * fi[c] + beta[c]);
          sumGy += gy[k];
          sumGyXhat += gy[k] * (x[k] - (double)fm[c]) * fi[c];
        }
      gB[c] = (float)sumGy;
      gG[c] = (float)sumGyXhat;
      for (int i = 0; i < b.N; i++)
        for (int j = 0; j < b.HW; j++) {
          size_t k = at(i, c, j);
          double xhat = (x[k] - (double)fm[c]) * fi[c];
          double scale = (double)gamma[c] * fi[c];
          gxref[k] = (float)(training ? scale * (gy[k] - sumGy / m - xhat * sumGyXhat / m)
                                      : scale * gy[k]);
        }
    }
    std::vector<float> y(n, NAN), gx(n, NAN), gg(b.C, NAN), gb(b.C, NAN);
    emu::launch(h::gridFor(n), dim3(256), bn_apply_v1, x.data(), fm.data(), fi.data(),
                gamma.data(), beta.data(), y.data(), b.N, b.C, b.HW);
    h::check("bn_apply_v1", kase, y, yref, 1e-5, 1e-5);
    emu::launch(dim3(b.C), dim3(256), bn_bwd_reduce_v1, x.data(), gy.data(), fm.data(), fi.data(),
                gg.data(), gb.data(), b.N, b.C, b.HW);
    h::check("bn_bwd_reduce_v1", kase + " gGamma", gg, gG, 1e-5, 1e-6);
    h::check("bn_bwd_reduce_v1", kase + " gBeta", gb, gB, 1e-5, 1e-6);
    std::vector<float> fgG(gG.begin(), gG.end()), fgB(gB.begin(), gB.end());
    emu::launch(dim3(3), dim3(256), bn_bwd_data_v1, x.data(), gy.data(), fm.data(), fi.data(),
                gamma.data(), fgG.data(), fgB.data(), gx.data(), b.N, b.C, b.HW, training);
    h::check("bn_bwd_data_v1", kase, gx, gxref, 1e-5, 1e-4);
  }
}

}  // namespace

void testNorm() {
  h::Rng rng(17);
  for (const Bn& b : kShapes) {
    testShape(b, rng);
  }
}
