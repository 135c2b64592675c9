// test_optim.cpp: SGD (plain, momentum, Nesterov, weight decay) and Adam steps against
// RefLossOptim's double formulas; several steps in a row, so the state (velocity, m, v) is checked
// as it evolves.
#include "harness.h"

namespace {

void testSgd(int n, float momentum, float wd, int nesterov, h::Rng& rng) {
  std::vector<float> w = rng.vec(n), v(n, 0.0f);
  std::vector<double> wr(w.begin(), w.end()), vr(n, 0.0);
  const float lr = 0.05f;
  const std::string kase = "n " + std::to_string(n) + " momentum " + std::to_string(momentum) +
                           " wd " + std::to_string(wd) + (nesterov ? " nesterov" : "");
  for (int step = 0; step < 3; step++) {
    std::vector<float> g = rng.vec(n);
    for (int i = 0; i < n; i++) {
      double grad = g[i] + (double)wd * (float)wr[i];
      double s = grad;
      if (momentum != 0) {
        double vi = (double)momentum * (float)vr[i] + grad;
        vr[i] = (float)vi;
        s = nesterov ? grad + momentum * vi : vi;
      }
      wr[i] = (float)((float)wr[i] - (double)lr * s);
    }
    emu::launch(h::gridFor(n), dim3(256), sgd_step_v1, w.data(), g.data(),
                momentum == 0 ? nullptr : v.data(), n, lr, momentum, wd, nesterov);
  }
  h::check("sgd_step_v1", kase + " w", w, wr, 1e-7, 1e-6);
  if (momentum != 0) {
    h::check("sgd_step_v1", kase + " velocity", v, vr, 1e-7, 1e-6);
  }
}

void testAdam(int n, float wd, h::Rng& rng) {
  std::vector<float> w = rng.vec(n), m(n, 0.0f), v(n, 0.0f);
  std::vector<double> wr(w.begin(), w.end()), mr(n, 0.0), vr(n, 0.0);
  const float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  for (int step = 1; step <= 4; step++) {
    std::vector<float> g = rng.vec(n);
    double c1 = 1 - std::pow(b1, step), c2 = 1 - std::pow(b2, step);
    for (int i = 0; i < n; i++) {
      double grad = g[i] + (double)wd * (float)wr[i];
      double mi = b1 * (double)(float)mr[i] + (1 - (double)b1) * grad;
      double vi = b2 * (double)(float)vr[i] + (1 - (double)b2) * grad * grad;
      mr[i] = (float)mi;
      vr[i] = (float)vi;
      wr[i] = (float)((float)wr[i] - lr * (mi / c1) / (std::sqrt(vi / c2) + eps));
    }
    emu::launch(dim3(2), dim3(256), adam_step_v1, w.data(), g.data(), m.data(), v.data(), n, lr, b1,
                b2, eps, wd, (float)c1, (float)c2);
  }
  const std::string kase = "n " + std::to_string(n) + " wd " + std::to_string(wd);
  h::check("adam_step_v1", kase + " w", w, wr, 1e-7, 1e-6);
  h::check("adam_step_v1", kase + " m", m, mr, 1e-7, 1e-6);
  h::check("adam_step_v1", kase + " v", v, vr, 1e-9, 1e-6);
}

}  // namespace

void testOptim() {
  h::Rng rng(23);
  for (int n : {1, 7, 1000}) {
    testSgd(n, 0.0f, 0.0f, 0, rng);
    testSgd(n, 0.0f, 5e-4f, 0, rng);
    testSgd(n, 0.9f, 5e-4f, 0, rng);
    testSgd(n, 0.9f, 0.0f, 1, rng);
    testAdam(n, 0.0f, rng);
    testAdam(n, 1e-2f, rng);
  }
}
