// test_elementwise.cpp: the kernels of elementwise.cu against double-precision references that
// follow UnaryOp / BinaryOp / RefElementwise (each value rounded to float once, as the reference
// backend stores it). Grid-stride kernels run both with the Java bindings' grid and with a
// deliberately small grid (3 blocks), which must give the same answer.
#include <array>

#include "harness.h"

namespace {

const int kSizes[] = {1, 7, 33, 127, 1000};

double unaryRef(int op, double x) {
  switch (op) {
    case 0:
      return x > 0 ? x : 0;
    case 1:
      return std::isnan(x) ? x : std::min(std::max(x, 0.0), 6.0);
    case 2:
      return std::isnan(x) ? x : std::min(std::max(x, -1.0), 1.0);
    case 3:
      return 1.0 / (1.0 + std::exp(-x));
    case 4:
      return std::tanh(x);
    case 5:
      return x >= 0 ? 1 : -1;
    case 6:
      return std::exp(x);
    case 7:
      return std::log(x);
    case 8:
      return -x;
    default:
      return x * x;
  }
}

double derivativeRef(int op, double x, double y) {
  switch (op) {
    case 0:
      return x > 0 ? 1 : 0;
    case 1:
      return x > 0 && x < 6 ? 1 : 0;
    case 2:
      return x > -1 && x < 1 ? 1 : 0;
    case 3:
      return y * (1 - y);
    case 4:
      return 1 - y * y;
    case 5:
      return x >= -1 && x <= 1 ? 1 : 0;
    case 6:
      return y;
    case 7:
      return 1 / x;
    case 8:
      return -1;
    default:
      return 2 * x;
  }
}

/** Random inputs with the awkward values mixed in: kinks, signed zeros, NaN, large magnitudes. */
std::vector<float> unaryInputs(int n, h::Rng& rng) {
  const float specials[] = {0.0f, -0.0f, 1.0f, -1.0f, 6.0f, NAN, 100.0f, -100.0f, 0.5f, 7.0f};
  std::vector<float> x = rng.vec(n, -8, 8);
  for (int i = 0; i < n; i += 3) {
    x[i] = specials[(i / 3) % 10];
  }
  return x;
}

void testFill() {
  for (int n : kSizes) {
    for (int small = 0; small < 2; small++) {
      std::vector<float> x(n + 1, NAN);
      emu::launch(small ? dim3(3) : h::gridFor(n), dim3(256), fill_v1, x.data(), n, 2.5f);
      std::vector<double> ref(n + 1, 2.5);
      ref[n] = NAN;  // the word after the buffer is untouched
      h::check("fill_v1", h::str({n}), x, ref, 0, 0);
    }
  }
}

void testUnary(h::Rng& rng) {
  for (int op = 0; op < 10; op++) {
    for (int n : kSizes) {
      std::vector<float> x = unaryInputs(n, rng);
      std::vector<double> ref(n), dref(n);
      std::vector<float> y(n), gy = rng.vec(n);
      for (int i = 0; i < n; i++) {
        y[i] = (float)unaryRef(op, x[i]);
        ref[i] = y[i];
        dref[i] = (float)(gy[i] * derivativeRef(op, x[i], y[i]));
      }
      std::string kase = "op " + std::to_string(op) + " n " + std::to_string(n);
      std::vector<float> out(n, NAN);
      emu::launch(h::gridFor(n), dim3(256), unary_v1, op, n, x.data(), out.data());
      h::check("unary_v1", kase, out, ref, 1e-6, 1e-5);
      std::vector<float> inPlace = x;  // out == x is allowed
      emu::launch(dim3(3), dim3(256), unary_v1, op, n, inPlace.data(), inPlace.data());
      h::check("unary_v1", kase + " in place", inPlace, ref, 1e-6, 1e-5);
      std::vector<float> gx(n, NAN);
      emu::launch(h::gridFor(n), dim3(256), unary_backward_v1, op, n, x.data(), y.data(),
                  gy.data(), gx.data());
      h::check("unary_backward_v1", kase, gx, dref, 1e-6, 1e-5);
    }
  }
}

void testAxpby(h::Rng& rng) {
  for (int n : kSizes) {
    for (float beta : {0.0f, 1.0f, -0.5f}) {
      std::vector<float> x = rng.vec(n), y = rng.vec(n);
      if (beta == 0) {
        y.assign(n, NAN);  // beta = 0 must ignore y
      }
      std::vector<double> ref(n);
      for (int i = 0; i < n; i++) {
        ref[i] = (float)(1.5 * x[i] + (beta == 0 ? 0.0 : (double)beta * y[i]));
      }
      emu::launch(n > 100 ? dim3(3) : h::gridFor(n), dim3(256), axpby_v1, n, 1.5f, x.data(), beta,
                  y.data());
      h::check("axpby_v1", "n " + std::to_string(n) + " beta " + std::to_string(beta), y, ref,
               1e-6, 1e-6);
    }
  }
}

using Dims = std::array<int, 4>;

/** Row-major strides of shape s (rank 4), 0 where the dim is 1: RefElementwise.broadcastStrides. */
Dims broadcastStrides(const Dims& s) {
  Dims st{};
  int acc = 1;
  for (int i = 3; i >= 0; i--) {
    st[i] = s[i] == 1 ? 0 : acc;
    acc *= s[i];
  }
  return st;
}

int numel(const Dims& s) { return s[0] * s[1] * s[2] * s[3]; }

void testBinary(h::Rng& rng) {
  // (a, b) pairs, already left-padded to rank 4; out is their broadcast shape.
  const Dims pairs[][2] = {
      {{1, 1, 1, 1}, {1, 1, 1, 7}},       {{1, 1, 1, 127}, {1, 1, 1, 127}},
      {{2, 3, 4, 5}, {1, 1, 1, 5}},       {{1, 3, 1, 5}, {2, 1, 4, 1}},
      {{2, 50, 8, 8}, {1, 50, 1, 1}},     {{1, 1, 7, 33}, {1, 1, 7, 1}},
      {{33, 1, 1, 1}, {1, 1, 1, 1}},      {{1, 1, 4, 1}, {1, 1, 1, 1}},
  };
  for (const auto& pr : pairs) {
    Dims out;
    for (int i = 0; i < 4; i++) {
      out[i] = std::max(pr[0][i], pr[1][i]);
    }
    Dims sa = broadcastStrides(pr[0]), sb = broadcastStrides(pr[1]);
    int n = numel(out);
    for (int op = 0; op < 4; op++) {
      std::vector<float> a = rng.vec(numel(pr[0])), b = rng.vec(numel(pr[1]), 0.25f, 2.0f);
      std::vector<double> ref(n);
      for (int i = 0; i < n; i++) {
        int i3 = i % out[3], i2 = i / out[3] % out[2], i1 = i / (out[3] * out[2]) % out[1];
        int i0 = i / (out[3] * out[2] * out[1]);
        double va = a[i0 * sa[0] + i1 * sa[1] + i2 * sa[2] + i3 * sa[3]];
        double vb = b[i0 * sb[0] + i1 * sb[1] + i2 * sb[2] + i3 * sb[3]];
        double r = op == 0 ? va + vb : op == 1 ? va - vb : op == 2 ? va * vb : va / vb;
        ref[i] = (float)r;
      }
      for (int small = 0; small < 2; small++) {
        std::vector<float> got(n, NAN);
        emu::launch(small ? dim3(3) : h::gridFor(n), dim3(256), binary_v1_broadcast, op, n,
                    a.data(), b.data(), got.data(), out[1], out[2], out[3], sa[0], sa[1], sa[2],
                    sa[3], sb[0], sb[1], sb[2], sb[3]);
        h::check("binary_v1_broadcast",
                 "op " + std::to_string(op) + " a " +
                     h::str({pr[0][0], pr[0][1], pr[0][2], pr[0][3]}) + " b " +
                     h::str({pr[1][0], pr[1][1], pr[1][2], pr[1][3]}),
                 got, ref, 0, 1e-6);
      }
    }
  }
}

void testSumTo(h::Rng& rng) {
  const Dims cases[][2] = {
      {{2, 3, 4, 5}, {1, 3, 1, 1}},   {{2, 3, 4, 5}, {2, 1, 4, 1}},   {{2, 3, 4, 5}, {1, 1, 1, 1}},
      {{2, 3, 4, 5}, {2, 3, 4, 5}},   {{2, 3, 4, 5}, {1, 1, 1, 5}},   {{2, 3, 4, 5}, {2, 3, 4, 1}},
      {{1, 1, 1, 127}, {1, 1, 1, 1}}, {{1, 1, 7, 33}, {1, 1, 1, 33}}, {{2, 50, 8, 8}, {1, 50, 1, 1}},
      {{1, 1, 1, 1}, {1, 1, 1, 1}},   {{1, 1, 33, 1000}, {1, 1, 1, 1}},
  };
  for (const auto& cs : cases) {
    const Dims& xs = cs[0];
    const Dims& os = cs[1];
    int n = numel(xs), outN = numel(os);
    std::vector<float> x = rng.vec(n);
    std::vector<double> acc(outN, 0.0);
    Dims st = broadcastStrides(os);
    for (int i = 0; i < n; i++) {
      int i3 = i % xs[3], i2 = i / xs[3] % xs[2], i1 = i / (xs[3] * xs[2]) % xs[1];
      int i0 = i / (xs[3] * xs[2] * xs[1]);
      acc[i0 * st[0] + i1 * st[1] + i2 * st[2] + i3 * st[3]] += x[i];
    }
    std::vector<double> ref(outN);
    for (int o = 0; o < outN; o++) {
      ref[o] = (float)acc[o];
    }
    for (int small = 0; small < 2; small++) {
      std::vector<float> got(outN, NAN);
      dim3 grid = small ? dim3(2) : dim3(std::min(outN, 65535));
      emu::launch(grid, dim3(256), sum_to_v1, x.data(), got.data(), outN, xs[0], xs[1], xs[2],
                  xs[3], os[0], os[1], os[2], os[3]);
      h::check("sum_to_v1",
               h::str({xs[0], xs[1], xs[2], xs[3]}) + " -> " + h::str({os[0], os[1], os[2], os[3]}),
               got, ref, 1e-6, 1e-6);
    }
  }
}

}  // namespace

void testElementwise() {
  h::Rng rng(7);
  testFill();
  testUnary(rng);
  testAxpby(rng);
  testBinary(rng);
  testSumTo(rng);
}
