// test_index.cpp: gather, scatter-add (repeated indices), concat / split through concat_copy_v1,
// and the dropout mask, which must reproduce jcnn.backend.cpu.DropoutHash bit for bit: against a
// C++ port here, and, when KernelEmulationTest passes its table (h::dropoutTable, computed by the
// Java class itself), against the Java values.
#include <cstring>
#include <fstream>
#include <sstream>

#include "harness.h"

namespace {

void testGatherScatter(h::Rng& rng) {
  for (int n : {1, 7, 1000}) {
    for (int tableSize : {1, 33}) {
      std::vector<float> table = rng.vec(tableSize), src = rng.vec(n);
      std::vector<int> idx(n);
      for (int& i : idx) i = rng.integer(0, tableSize);
      std::vector<double> gref(n), sref(tableSize);
      for (int i = 0; i < n; i++) gref[i] = table[idx[i]];
      for (int t = 0; t < tableSize; t++) sref[t] = table[t];
      for (int i = 0; i < n; i++) sref[idx[i]] += src[i];
      for (double& s : sref) s = (float)s;
      const std::string kase = "n " + std::to_string(n) + " table " + std::to_string(tableSize);
      std::vector<float> out(n, NAN);
      emu::launch(h::gridFor(n), dim3(256), gather_v1, table.data(), idx.data(), out.data(), n);
      h::check("gather_v1", kase, out, gref, 0, 0);
      emu::launch(dim3(2), dim3(256), scatter_add_v1, src.data(), idx.data(), table.data(), n);
      h::check("scatter_add_v1", kase, table, sref, 1e-4, 1e-5);  // float atomics vs double
    }
  }
}

void testConcat(h::Rng& rng) {
  // [outer, axis, inner] views: parts of axis lengths 1, 7 and 3 concatenated, then split back.
  for (auto [outer, inner] : {std::pair{1, 1}, {3, 5}, {2, 33}, {4, 1}}) {
    const int parts[] = {1, 7, 3};
    const int whole = 11;
    std::vector<float> big((size_t)outer * whole * inner, NAN);
    std::vector<double> bigRef(big.size());
    std::vector<std::vector<float>> xs;
    int offset = 0;
    for (int a : parts) {
      xs.push_back(rng.vec((size_t)outer * a * inner));
      for (int o = 0; o < outer; o++)
        for (int k = 0; k < a; k++)
          for (int i = 0; i < inner; i++) {
            bigRef[((size_t)o * whole + offset + k) * inner + i] = xs.back()[((size_t)o * a + k) * inner + i];
          }
      emu::launch(h::gridFor(xs.back().size()), dim3(256), concat_copy_v1, xs.back().data(),
                  big.data(), outer, a, whole, offset, inner, 1);
      offset += a;
    }
    const std::string kase = "outer " + std::to_string(outer) + " inner " + std::to_string(inner);
    h::check("concat_copy_v1", kase + " concat", big, bigRef, 0, 0);
    offset = 0;
    for (size_t p = 0; p < 3; p++) {
      std::vector<float> part(xs[p].size(), NAN);
      emu::launch(dim3(1), dim3(256), concat_copy_v1, big.data(), part.data(), outer, whole,
                  parts[p], offset, inner, 0);
      h::check("concat_copy_v1", kase + " split part " + std::to_string(p), part, h::toDouble(xs[p]),
               0, 0);
      offset += parts[p];
    }
  }
}

/** DropoutHash.keep, ported: unsigned 64-bit arithmetic is Java's long arithmetic with >>>. */
bool keepRef(long long seed, long long i, float p) {
  uint64_t z = (uint64_t)seed + (uint64_t)i * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return (double)(z >> 40) * 0x1.0p-24 >= (double)p;
}

float bitsToFloat(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

void runDropout(long long seed, float p, float scale, int n, const std::string* javaKeep) {
  std::vector<float> mask(n, NAN);
  emu::launch(h::gridFor(n), dim3(256), dropout_mask_v1, mask.data(), n, seed, p, scale);
  std::vector<double> ref(n);
  for (int i = 0; i < n; i++) {
    bool keep = javaKeep ? (*javaKeep)[i] == '1' : keepRef(seed, i, p);
    ref[i] = keep ? scale : 0.0f;
  }
  char kase[120];
  std::snprintf(kase, sizeof kase, "seed %lld p %.9g n %d vs %s", seed, p, n,
                javaKeep ? "Java DropoutHash" : "C++ port");
  h::check("dropout_mask_v1", kase, mask, ref, 0, 0);
}

void testDropout() {
  for (long long seed : {0LL, 42LL, -1234567890123456789LL}) {
    for (float p : {0.0f, 0.1f, 0.5f, 0.9f}) {
      runDropout(seed, p, (float)(1.0 / (1.0 - p)), 1000, nullptr);
    }
  }
  if (h::dropoutTable == nullptr) {
    std::printf("(dropout: no Java table given, compared with the C++ port only)\n");
    return;
  }
  // Lines: seed, p's float bits, scale's float bits, n, then n keep flags as one 0/1 string.
  std::ifstream in(h::dropoutTable);
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    long long seed;
    uint32_t pBits, scaleBits;
    int n;
    std::string keep;
    if (!(ls >> seed >> pBits >> scaleBits >> n >> keep) || (int)keep.size() != n) {
      h::fail("dropout_mask_v1", "table", "bad line in " + std::string(h::dropoutTable));
      return;
    }
    runDropout(seed, bitsToFloat(pBits), bitsToFloat(scaleBits), n, &keep);
    cases++;
  }
  if (cases == 0) {
    h::fail("dropout_mask_v1", "table", "no cases in " + std::string(h::dropoutTable));
  } else {
    std::printf("(dropout: %d cases from the Java table)\n", cases);
  }
}

}  // namespace

void testIndex() {
  h::Rng rng(29);
  testGatherScatter(rng);
  testConcat(rng);
  testDropout();
}
