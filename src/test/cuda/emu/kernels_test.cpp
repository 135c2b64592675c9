// kernels_test.cpp: runs every jcnn CUDA kernel on the CPU (through cuda_emu.h) against
// double-precision C++ references, and prints one PASS/FAIL line per kernel. Exits 1 if any kernel
// failed or was never exercised.
//
// Build and run: make -C src/test/cuda/emu OUT=$PWD/target/emu run   (or mvn -Dtest=KernelEmulationTest test)
// The .cu files are compiled unchanged by g++ with cuda_emu.h and kernels.h force-included; the
// tests of each kernel family are in test_<family>.cpp.
#include <chrono>

#include "harness.h"

int main(int argc, char** argv) {
  h::dropoutTable = argc > 1 ? argv[1] : nullptr;
  // Every emulated kernel; each must have run at least one case.
  const char* kernels[] = {
      "sgemm_v1_naive", "sgemm_v2_smem", "sgemm_v3_regblock", "sgemm_v5_splitk", "sgemm_v5_splitk_reduce",
      "fill_v1", "binary_v1_broadcast", "unary_v1", "unary_backward_v1", "axpby_v1", "sum_to_v1",
      "im2col_v1", "col2im_v1", "nkpq_from_knpq_v1", "knpq_from_nkpq_v1",
      "maxpool_fwd_v1", "maxpool_bwd_v1", "avgpool_fwd_v1", "avgpool_bwd_v1",
      "bn_stats_v1", "bn_apply_v1", "bn_bwd_reduce_v1", "bn_bwd_data_v1",
      "softmax_xent_fwd_v1", "softmax_xent_bwd_v1",
      "gather_v1", "scatter_add_v1", "dropout_mask_v1", "concat_copy_v1",
      "sgd_step_v1", "adam_step_v1",
  };
  struct Family {
    const char* name;
    void (*run)();
  };
  const Family families[] = {
      {"gemm", testGemm},
      {"elementwise", testElementwise},
      {"conv", testConv},
      {"pool", testPool},
      {"norm", testNorm},
      {"loss", testLoss},
      {"index", testIndex},
      {"optim", testOptim},
  };
  for (const Family& f : families) {
    auto t0 = std::chrono::steady_clock::now();
    f.run();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("(%s: %.1f s)\n", f.name, s);
    std::fflush(stdout);
  }
  int failed = 0, passed = 0;
  for (const char* k : kernels) {
    auto it = h::tallies().find(k);
    if (it == h::tallies().end() || it->second.cases == 0) {
      std::printf("FAIL %s: never tested\n", k);
      failed++;
    } else if (it->second.failed > 0) {
      std::printf("FAIL %s (%d of %d cases)\n", k, it->second.failed, it->second.cases);
      failed++;
    } else {
      std::printf("PASS %s (%d cases)\n", k, it->second.cases);
      passed++;
    }
  }
  // Checks of several kernels together (their names have a space: "conv forward (...)").
  for (const auto& [name, t] : h::tallies()) {
    bool listed = false;
    for (const char* k : kernels) {
      listed = listed || name == k;
    }
    if (listed) {
      continue;
    }
    if (name.find(' ') == std::string::npos) {
      std::printf("FAIL %s: tested but missing from the kernel list in kernels_test.cpp\n",
                  name.c_str());
      failed++;
    } else if (t.failed > 0) {
      std::printf("FAIL %s (%d of %d cases)\n", name.c_str(), t.failed, t.cases);
      failed++;
    } else {
      std::printf("PASS %s (%d cases)\n", name.c_str(), t.cases);
      passed++;
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
