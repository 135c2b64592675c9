// cuda_emu.h: just enough of CUDA for g++ to compile jcnn's .cu kernels unchanged and run them on
// the CPU, so the kernels are tested on machines (CI, laptops) that have no GPU.
//
// Use: g++ -std=c++20 -pthread -O1 -fno-strict-aliasing -include cuda_emu.h -x c++ gemm.cu ...
// and launch with emu::launch(grid, block, kernel, args...) instead of kernel<<<grid, block>>>.
//
// The model, and what it asks of the kernels:
// - Blocks run ONE AT A TIME, in order; each CUDA thread of the running block is one OS thread
//   (a pool of long-lived std::threads: creating 256 threads per block would dominate the run).
//   So `__shared__` can simply be `static`: the block that runs owns it. Kernels must not rely on
//   shared memory starting zeroed (it is whatever the previous block left).
// - __syncthreads() is a std::barrier over the block's threads; a thread that returns drops out
//   of the barrier (as exited threads do on a GPU), so an early return never deadlocks.
// - No warp shuffles, warp votes, dynamic shared memory or cooperative groups: there are no warps
//   here. Kernels that need them (the TF32 tensor-core GEMM) hide behind #ifndef JCNN_EMU.
// - atomicAdd on float and double is a compare-and-swap loop (std::atomic_ref).
// Because threads really run concurrently, a missing __syncthreads() shows up as a wrong answer
// here too (not always: the OS scheduler is kinder than a GPU).
#pragma once

#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#define JCNN_EMU 1

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))

struct dim3 {
  unsigned x, y, z;
  constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;

struct alignas(16) float4 {
  float x, y, z, w;
};
struct alignas(8) float2 {
  float x, y;
};
struct alignas(16) int4 {
  int x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
inline float2 make_float2(float x, float y) { return float2{x, y}; }
inline int4 make_int4(int x, int y, int z, int w) { return int4{x, y, z, w}; }

// CUDA's integer min/max live in the global namespace of device code.
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }

inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
template <class T>
inline T __ldg(const T* p) {
  return *p;
}

inline float atomicAdd(float* p, float v) { return std::atomic_ref<float>(*p).fetch_add(v); }
inline double atomicAdd(double* p, double v) { return std::atomic_ref<double>(*p).fetch_add(v); }
inline int atomicAdd(int* p, int v) { return std::atomic_ref<int>(*p).fetch_add(v); }

namespace emu {

// The barrier of the block that is running (blocks run one at a time).
inline std::barrier<>* g_block_barrier = nullptr;

inline void syncthreads() {
  if (g_block_barrier == nullptr) {
    std::fprintf(stderr, "cuda_emu: __syncthreads() outside a launch\n");
    std::abort();
  }
  g_block_barrier->arrive_and_wait();
}

/**
 * The CUDA threads of one block, as long-lived OS threads: creating 256 std::threads per block
 * costs tens of milliseconds, waking parked ones a fraction of that. Blocks run one at a time;
 * for each block the launcher publishes a job and releases every worker through `start`, then
 * waits on `done`.
 */
class BlockPool {
 public:
  explicit BlockPool(unsigned n) : n_(n), start_(n + 1), done_(n + 1) {
    for (unsigned t = 0; t < n; t++) {
      workers_.emplace_back([this, t]() { work(t); });
    }
  }
  ~BlockPool() {
    quit_ = true;
    start_.arrive_and_wait();
    for (auto& w : workers_) {
      w.join();
    }
  }
  unsigned size() const { return n_; }

  /** Runs job(t) on worker t for every t, all concurrently, and returns when all are done. */
  template <class F>
  void run(F& job) {
    job_ = &job;
    call_ = [](void* f, unsigned t) { (*static_cast<F*>(f))(t); };
    start_.arrive_and_wait();
    done_.arrive_and_wait();
  }

 private:
  void work(unsigned t) {
    for (;;) {
      start_.arrive_and_wait();
      if (quit_) {
        return;
      }
      call_(job_, t);
      done_.arrive_and_wait();
    }
  }
  unsigned n_;
  std::barrier<> start_, done_;
  std::vector<std::thread> workers_;
  void* job_ = nullptr;
  void (*call_)(void*, unsigned) = nullptr;
  bool quit_ = false;
};

// One pool for all kernels, rebuilt when the block size changes.
inline std::unique_ptr<BlockPool> g_pool;

/**
 * Runs kernel<<<grid, block>>>(args...): blocks in order, each CUDA thread of a block on its own
 * OS thread (from a pool kept for the block size). Arguments are converted to the kernel's
 * parameter types first (as the CUDA runtime does), so literal ints can be passed for floats.
 */
template <class... P, class... A>
void launch(dim3 grid, dim3 block, void (*kernel)(P...), A... args) {
  static_assert(sizeof...(P) == sizeof...(A), "launch: wrong number of kernel arguments");
  const unsigned nthreads = block.x * block.y * block.z;
  if (nthreads == 0 || nthreads > 1024) {
    std::fprintf(stderr, "cuda_emu: bad block size %u\n", nthreads);
    std::abort();
  }
  std::unique_ptr<BlockPool>& pool = g_pool;
  if (!pool || pool->size() != nthreads) {
    pool.reset();
    pool = std::make_unique<BlockPool>(nthreads);
  }
  for (unsigned bz = 0; bz < grid.z; bz++) {
    for (unsigned by = 0; by < grid.y; by++) {
      for (unsigned bx = 0; bx < grid.x; bx++) {
        std::barrier<> bar(nthreads);
        g_block_barrier = &bar;
        dim3 bid(bx, by, bz);
        auto job = [&](unsigned t) {
          threadIdx = dim3(t % block.x, (t / block.x) % block.y, t / (block.x * block.y));
          blockIdx = bid;
          blockDim = block;
          gridDim = grid;
          kernel(static_cast<P>(args)...);
          bar.arrive_and_drop();
        };
        pool->run(job);
        g_block_barrier = nullptr;
      }
    }
  }
}

}  // namespace emu

#define __syncthreads() emu::syncthreads()
