// test_gemm.cpp: sgemm_v1_naive, sgemm_v2_smem, sgemm_v3_regblock and sgemm_v5_splitk (+ its
// reduce, K cut into 3 or 5 slices the way GemmKernels.chunk cuts it) against a double-precision
// triple loop, on odd sizes (1, 7, 33, 127, ...) and LeNet-5 layer shapes, all four transposes,
// aligned and unaligned pointers / leading dims, several alpha/beta, beta = 0 over a NaN-filled C.
// Every float of the C buffer outside the [M, N] view (its row padding and the words before it)
// holds a guard value that must survive: a kernel may not write outside its matrix.
#include "harness.h"

namespace {

using GemmKernel = void (*)(JCNN_GEMM_PARAMS);

struct Version {
  const char* name;
  GemmKernel kernel;
  dim3 block;
  int tile;  // C tile edge per block: grid (ceil(N/tile), ceil(M/tile))
  int splits;  // > 0: split K this many ways (v5 then its reduce); kernel unused
};

const Version kVersions[] = {
    {"sgemm_v1_naive", sgemm_v1_naive, dim3(16, 16), 16},
    {"sgemm_v2_smem", sgemm_v2_smem, dim3(32, 8), 32},
    {"sgemm_v3_regblock", sgemm_v3_regblock, dim3(256), 128},
    {"sgemm_v5_splitk", nullptr, dim3(256), 128, 3},
    {"sgemm_v5_splitk", nullptr, dim3(256), 128, 5},
};

const float kGuard = 777.0f;

/** A float buffer whose view starts `misalign` floats past a 16-byte boundary. */
struct Buf {
  std::vector<float> raw;
  size_t start;
  Buf(size_t n, int misalign, float fill) : raw(n + 8 + misalign, fill) {
    size_t a = 0;
    while (reinterpret_cast<uintptr_t>(raw.data() + a) % 16 != 0) {
      a++;
    }
    start = a + misalign;
  }
  float* p() { return raw.data() + start; }
};

struct Case {
  int M, N, K, ta, tb;
  float alpha, beta;
  bool aligned;  // 16-byte aligned pointers and leading dims % 4 == 0 (v3's float4 path)
};

int ldFor(int cols, bool aligned) { return aligned ? (cols + 3) / 4 * 4 : cols + 1; }

void runCase(const Version& v, const Case& c, h::Rng& rng) {
  const int mis = c.aligned ? 0 : 1;
  // Stored shapes: A [M, K] or [K, M]; B [K, N] or [N, K]; C [M, N] with padded rows.
  const int aRows = c.ta ? c.K : c.M, aCols = c.ta ? c.M : c.K;
  const int bRows = c.tb ? c.N : c.K, bCols = c.tb ? c.K : c.N;
  const int lda = ldFor(aCols, c.aligned), ldb = ldFor(bCols, c.aligned);
  const int ldc = c.aligned ? ldFor(c.N, true) + 4 : c.N + 3;
  Buf a((size_t)aRows * lda, mis, 0.0f), b((size_t)bRows * ldb, mis, 0.0f);
  Buf cb((size_t)c.M * ldc, c.aligned ? 0 : 3, kGuard);
  for (int i = 0; i < aRows; i++) {
    for (int j = 0; j < aCols; j++) {
      a.p()[(size_t)i * lda + j] = rng.uni(-1, 1);
    }
  }
  for (int i = 0; i < bRows; i++) {
    for (int j = 0; j < bCols; j++) {
      b.p()[(size_t)i * ldb + j] = rng.uni(-1, 1);
    }
  }
  std::vector<double> ref((size_t)c.M * c.N);
  for (int m = 0; m < c.M; m++) {
    for (int n = 0; n < c.N; n++) {
      float old = c.beta == 0 ? NAN : rng.uni(-1, 1);  // beta = 0 must not read C
      cb.p()[(size_t)m * ldc + n] = old;
      double dot = 0;
      for (int k = 0; k < c.K; k++) {
        double av = c.ta ? a.p()[(size_t)k * lda + m] : a.p()[(size_t)m * lda + k];
        double bv = c.tb ? b.p()[(size_t)n * ldb + k] : b.p()[(size_t)k * ldb + n];
        dot += av * bv;
      }
      ref[(size_t)m * c.N + n] = c.alpha * dot + (c.beta == 0 ? 0.0 : (double)c.beta * old);
    }
  }
  dim3 grid((c.N + v.tile - 1) / v.tile, (c.M + v.tile - 1) / v.tile);
  if (v.splits > 0) {
    // GemmKernels.chunk: ceil(K / splits) rounded up to 8; the slice count follows from it.
    const int kChunk = ((c.K + v.splits - 1) / v.splits + 7) / 8 * 8;
    const int s = (c.K + kChunk - 1) / kChunk;
    std::vector<float> w((size_t)s * c.M * c.N, NAN);  // every slice must be written in full
    emu::launch(dim3(grid.x, grid.y, s), v.block, sgemm_v5_splitk, c.M, c.N, c.K, kChunk, a.p(),
                lda, c.ta, b.p(), ldb, c.tb, w.data());
    emu::launch(dim3(3), dim3(64), sgemm_v5_splitk_reduce, c.M, c.N, s, c.alpha,
                (const float*)w.data(), c.beta, cb.p(), ldc);
  } else {
    emu::launch(grid, v.block, v.kernel, c.M, c.N, c.K, c.alpha, a.p(), lda, c.ta, b.p(), ldb,
                c.tb, c.beta, cb.p(), ldc);
  }
  std::vector<float> got((size_t)c.M * c.N);
  for (int m = 0; m < c.M; m++) {
    for (int n = 0; n < c.N; n++) {
      got[(size_t)m * c.N + n] = cb.p()[(size_t)m * ldc + n];
    }
  }
  char kase[160];
  std::snprintf(kase, sizeof kase, "M=%d N=%d K=%d ta=%d tb=%d alpha=%g beta=%g %s", c.M, c.N, c.K,
                c.ta, c.tb, c.alpha, c.beta, c.aligned ? "aligned" : "unaligned");
  h::check(v.name, kase, got, ref, 1e-4 + 1e-6 * c.K, 1e-5);
  if (v.splits > 0) {
    h::check("sgemm_v5_splitk_reduce", kase, got, ref, 1e-4 + 1e-6 * c.K, 1e-5);
  }
  // Guards: everything in the raw buffer outside the [M, N] view.
  for (size_t i = 0; i < cb.raw.size(); i++) {
    long long off = (long long)i - (long long)cb.start;
    bool inView = off >= 0 && off < (long long)c.M * ldc && off % ldc < c.N;
    if (!inView && cb.raw[i] != kGuard) {
      h::fail(v.name, kase, "wrote outside C at raw offset " + std::to_string(off));
      break;
    }
  }
}

}  // namespace

void testGemm() {
  h::Rng rng(42);
  const int sizes[][3] = {{1, 1, 1},    {7, 7, 7},     {33, 33, 33},  {127, 33, 65},
                          {1, 127, 7},  {127, 1, 33},  {128, 128, 8}, {129, 130, 17},
                          {64, 200, 3}, {3, 260, 129}};
  const float ab[][2] = {{1, 0}, {0.5f, -1.5f}, {-2, 1}, {1, 0.25f}};
  for (const Version& v : kVersions) {
    int variant = 0;
    for (const auto& s : sizes) {
      for (int t = 0; t < 4; t++) {
        for (int aligned = 0; aligned < 2; aligned++) {
          const float* x = ab[variant++ % 4];
          runCase(v, {s[0], s[1], s[2], t / 2, t % 2, x[0], x[1], aligned == 1}, rng);
        }
      }
    }
    // LeNet-5 conv2 (20 -> 50 channels, 5x5, 12x12 input, batch 2: N*P*Q = 128, C*R*S = 500)
    // as its three GEMMs, and fc1 (800 -> 500) on a batch of 4.
    runCase(v, {50, 128, 500, 0, 0, 1, 0, true}, rng);  // forward: w [50, 500] x col
    runCase(v, {50, 500, 128, 0, 1, 1, 0, true}, rng);  // weight grad: gy x col^T
    runCase(v, {500, 128, 50, 1, 0, 1, 0, true}, rng);  // data grad: w^T x gy
    runCase(v, {4, 500, 800, 0, 1, 1, 1, false}, rng);  // fc1: x [4, 800] x W^T, accumulate
    // ResNet-20's first weight gradient, scaled down (batch 128 -> 4 and 32x32 -> 8x8 is K 256;
    // here a longer, odd K): M = 16 channels, N = 16*3*3, K = N*P*Q, both operands transposed.
    runCase(v, {16, 144, 2051, 0, 1, 1, 0, true}, rng);
    runCase(v, {16, 144, 2051, 0, 1, 1, 0, false}, rng);
  }
}
