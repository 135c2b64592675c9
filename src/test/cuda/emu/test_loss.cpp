// test_loss.cpp: softmax cross-entropy forward and backward against RefLossOptim's double loops,
// including rows of huge logits (1000, -1000) that overflow a naive exp, and a single class.
#include "harness.h"

namespace {

void testShape(int N, int classes, h::Rng& rng) {
  const int n = N * classes;
  std::vector<float> z = rng.vec(n, -5, 5);
  if (N > 2) {
    for (int j = 0; j < classes; j++) {
      z[j] = 1000.0f - j;              // row 0: huge
      z[classes + j] = -1000.0f + j;   // row 1: hugely negative
    }
  }
  std::vector<int> labels(N);
  for (int& l : labels) {
    l = rng.integer(0, classes);
  }
  std::vector<double> pref(n), lref(N);
  for (int i = 0; i < N; i++) {
    double mx = -INFINITY, sum = 0;
    for (int j = 0; j < classes; j++) mx = std::max(mx, (double)z[i * classes + j]);
    for (int j = 0; j < classes; j++) sum += std::exp(z[i * classes + j] - mx);
    double lse = mx + std::log(sum);
    for (int j = 0; j < classes; j++) pref[i * classes + j] = (float)std::exp(z[i * classes + j] - lse);
    lref[i] = lse - z[i * classes + labels[i]];
  }
  const std::string kase = "logits " + h::str({N, classes});
  std::vector<float> probs(n, NAN), rowLoss(N, NAN);
  emu::launch(h::gridFor(N), dim3(256), softmax_xent_fwd_v1, z.data(), labels.data(),
              probs.data(), rowLoss.data(), N, classes);
  h::check("softmax_xent_fwd_v1", kase + " probs", probs, pref, 1e-7, 1e-5);
  h::check("softmax_xent_fwd_v1", kase + " rowLoss", rowLoss, lref, 1e-5, 1e-5);
  const float scale = 1.0f / N;
  std::vector<double> gref(n);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < classes; j++) {
      gref[i * classes + j] = (float)((double)scale * (probs[i * classes + j] - (j == labels[i] ? 1.0 : 0.0)));
    }
  std::vector<float> g(n, NAN);
  emu::launch(dim3(2), dim3(256), softmax_xent_bwd_v1, probs.data(), labels.data(), scale,
              g.data(), N, classes);
  h::check("softmax_xent_bwd_v1", kase, g, gref, 1e-7, 1e-6);
}

}  // namespace

void testLoss() {
  h::Rng rng(19);
  const int shapes[][2] = {{1, 1}, {7, 1}, {33, 10}, {4, 1000}, {127, 7}, {300, 10}};
  for (const auto& s : shapes) {
    testShape(s[0], s[1], rng);
  }
}
