// harness.h: the small test framework of the kernel emulation tests (kernels_test.cpp and the
// test_*.cpp files): seeded random data, launch grids like the Java bindings', and the one
// comparison rule of STYLE.md, |x - ref| <= atol + rtol * |ref|, printing the first mismatches.
// Each kernel collects cases; main prints one PASS/FAIL line per kernel.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "cuda_emu.h"
#include "kernels.h"

namespace h {

/** Seeded uniform data, so a failure reproduces. */
struct Rng {
  std::mt19937_64 gen;
  explicit Rng(uint64_t seed) : gen(seed) {}
  float uni(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(gen); }
  int integer(int lo, int hiExclusive) {
    return std::uniform_int_distribution<int>(lo, hiExclusive - 1)(gen);
  }
  std::vector<float> vec(size_t n, float lo = -1.0f, float hi = 1.0f) {
    std::vector<float> v(n);
    for (auto& x : v) {
      x = uni(lo, hi);
    }
    return v;
  }
};

/** Per-kernel tallies: cases run and cases failed. */
struct Tally {
  int cases = 0;
  int failed = 0;
};
inline std::map<std::string, Tally>& tallies() {
  static std::map<std::string, Tally> t;
  return t;
}

/**
 * Compares got[i] with ref[i] for i < n; a NaN reference wants a NaN, an infinite one the same
 * infinity. Records one case for the kernel; prints up to 5 mismatches and returns whether all
 * matched.
 */
inline bool check(const std::string& kernel, const std::string& kase, const float* got,
                  const double* ref, size_t n, double atol, double rtol) {
  Tally& t = tallies()[kernel];
  t.cases++;
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    double g = got[i], r = ref[i];
    bool ok;
    if (std::isnan(r)) {
      ok = std::isnan(g);
    } else if (std::isinf(r)) {
      ok = g == r;
    } else {
      ok = std::fabs(g - r) <= atol + rtol * std::fabs(r);
    }
    if (!ok) {
      if (bad < 5) {
        std::printf("  mismatch %s [%s] at %zu: got %.9g, want %.9g (atol %g, rtol %g)\n",
                    kernel.c_str(), kase.c_str(), i, g, r, atol, rtol);
      }
      bad++;
    }
  }
  if (bad > 0) {
    std::printf("  %s [%s]: %d of %zu values wrong\n", kernel.c_str(), kase.c_str(), bad, n);
    t.failed++;
  }
  return bad == 0;
}

inline bool check(const std::string& kernel, const std::string& kase,
                  const std::vector<float>& got, const std::vector<double>& ref, double atol,
                  double rtol) {
  if (got.size() != ref.size()) {
    std::printf("  %s [%s]: size %zu, want %zu\n", kernel.c_str(), kase.c_str(), got.size(),
                ref.size());
    tallies()[kernel].cases++;
    tallies()[kernel].failed++;
    return false;
  }
  return check(kernel, kase, got.data(), ref.data(), got.size(), atol, rtol);
}

/** Exact comparison of integers (argmax). */
inline bool checkExact(const std::string& kernel, const std::string& kase, const int* got,
                       const int* want, size_t n) {
  Tally& t = tallies()[kernel];
  t.cases++;
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    if (got[i] != want[i]) {
      if (bad < 5) {
        std::printf("  mismatch %s [%s] at %zu: got %d, want %d\n", kernel.c_str(), kase.c_str(),
                    i, got[i], want[i]);
      }
      bad++;
    }
  }
  if (bad > 0) {
    t.failed++;
  }
  return bad == 0;
}

/** A failed precondition of a case (a guard word overwritten, say), counted for the kernel. */
inline void fail(const std::string& kernel, const std::string& kase, const std::string& why) {
  std::printf("  %s [%s]: %s\n", kernel.c_str(), kase.c_str(), why.c_str());
  tallies()[kernel].cases++;
  tallies()[kernel].failed++;
}

inline std::vector<double> toDouble(const std::vector<float>& v) {
  return std::vector<double>(v.begin(), v.end());
}

/** The dropout table KernelEmulationTest writes from the Java DropoutHash (argv[1]), or null. */
inline const char* dropoutTable = nullptr;

/** The grid the Java bindings use for grid-stride kernels: block 256, at most 4096 blocks. */
inline dim3 gridFor(long long n) {
  long long blocks = (n + 255) / 256;
  return dim3((unsigned)std::max(1LL, std::min(blocks, 4096LL)));
}

inline std::string str(std::initializer_list<long long> xs) {
  std::string s;
  for (long long x : xs) {
    s += (s.empty() ? "" : "x") + std::to_string(x);
  }
  return s;
}

}  // namespace h

// One function per kernel family, each in its own test_*.cpp.
void testGemm();
void testElementwise();
void testConv();
void testPool();
void testNorm();
void testLoss();
void testIndex();
void testOptim();
