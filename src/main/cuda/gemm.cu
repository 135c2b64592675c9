// gemm.cu: single-precision GEMM, C = alpha * op(A) * op(B) + beta * C, the GPU twin of
// RefElementwise.matmul and of the CPU Sgemm. Every convolution (im2col + GEMM) and every linear
// layer ends up here, so this is the file that decides jcnn's GPU speed.
//
// Kernels, one per step of optimisation (siboehm's "How to optimize a CUDA matmul kernel" steps,
// our own code); v1-v4 share one signature and work for ANY M, N, K >= 1, any lda/ldb/ldc, any
// pointer offset and all four transpose combinations:
//   sgemm_v1_naive      one thread per C element, dot product from global memory.
//                       block (16, 16), grid (ceil(N/16), ceil(M/16)).
//   sgemm_v2_smem       32x32 C tile per block staged through shared memory (BK = 32); each thread
//                       owns 4 outputs (rows ty, ty+8, ty+16, ty+24 of column tx).
//                       block (32, 8), grid (ceil(N/32), ceil(M/32)).
//   sgemm_v3_regblock   128x128 C tile per block, BK = 8, 256 threads each holding an 8x8 register
//                       block; shared memory double-buffered (one barrier per k-step); float4
//                       global loads and stores where pointers and leading dims allow (a uniform
//                       runtime test, scalar edges otherwise).
//                       block (256, 1), grid (ceil(N/128), ceil(M/128)).
//   sgemm_v4_tf32_wmma  128x128 tile, TF32 tensor cores via nvcuda::wmma (sm_80+), fp32 accumulate.
//                       block (256, 1), grid (ceil(N/128), ceil(M/128)). Cannot be emulated on the
//                       CPU (#ifndef JCNN_EMU): only compiled to PTX; TF32 rounds inputs to 10-bit
//                       mantissas, so expect ~1e-3 relative error, not fp32 accuracy.
//   sgemm_v5_splitk     v3 on one slice of K per blockIdx.z, partial products to a workspace W
//                       [splits, M, N]; for GEMMs with few C tiles and a long K.
//                       block (256, 1), grid (ceil(N/128), ceil(M/128), splits).
//   sgemm_v5_splitk_reduce  C = alpha * (sum of the slices of W, in order, in double) + beta * C.
//                       grid-stride over M*N.
//
// Layout (row-major everywhere): op(A) is [M, K]; A is stored [M, K] with row stride lda when
// ta == 0, or [K, M] when ta == 1. op(B) is [K, N]; B is stored [K, N] with row stride ldb when
// tb == 0, or [N, K] when tb == 1. C is [M, N] with row stride ldc. beta == 0 overwrites C
// without reading it (old contents may be NaN). Accumulation is in float.
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (src/test/cuda/emu/kernels_test.cpp);
// PTX: mvn -Dtest=PtxBuildTest test.

#ifndef JCNN_EMU
#include <mma.h>
#endif

// C[m, n] = alpha * acc + beta * C[m, n], not reading C when beta == 0.
__device__ __forceinline__ float gemm_epilogue(float alpha, float acc, float beta, const float* c) {
  return beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
}

// ---------------------------------------------------------------- v1: naive

extern "C" __global__ void sgemm_v1_naive(int M, int N, int K, float alpha, const float* A,
                                          int lda, int ta, const float* B, int ldb, int tb,
                                          float beta, float* C, int ldc) {
  int n = blockIdx.x * blockDim.x + threadIdx.x;
  int m = blockIdx.y * blockDim.y + threadIdx.y;
  if (m >= M || n >= N) {
    return;
  }
  float acc = 0.0f;
  for (int k = 0; k < K; k++) {
    float a = ta ? A[(size_t)k * lda + m] : A[(size_t)m * lda + k];  // op(A)[m, k]
    float b = tb ? B[(size_t)n * ldb + k] : B[(size_t)k * ldb + n];  // op(B)[k, n]
    acc += a * b;
  }
  float* c = C + (size_t)m * ldc + n;
  *c = gemm_epilogue(alpha, acc, beta, c);
}

// ---------------------------------------------------------------- v2: shared-memory tiles

#define V2_TILE 32
#define V2_ROWS 8  // blockDim.y: each thread computes V2_TILE / V2_ROWS = 4 outputs

// Each 32x32 tile of op(A) and op(B) is read from global memory once per block instead of once
// per thread. The loads put threadIdx.x along the operand's contiguous dim (so a warp reads 128
// consecutive bytes whatever the transpose) and the +1 padding keeps the transposed shared-memory
// writes free of bank conflicts.
extern "C" __global__ void sgemm_v2_smem(int M, int N, int K, float alpha, const float* A, int lda,
                                         int ta, const float* B, int ldb, int tb, float beta,
                                         float* C, int ldc) {
  __shared__ float As[V2_TILE][V2_TILE + 1];  // [m, k] of the current tile of op(A)
  __shared__ float Bs[V2_TILE][V2_TILE + 1];  // [k, n] of the current tile of op(B)
  const int tx = threadIdx.x;
  const int ty = threadIdx.y;
  const int m0 = blockIdx.y * V2_TILE;
  const int n0 = blockIdx.x * V2_TILE;
  float acc[V2_TILE / V2_ROWS] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int k0 = 0; k0 < K; k0 += V2_TILE) {
    for (int i = 0; i < V2_TILE / V2_ROWS; i++) {
      int r = ty + V2_ROWS * i;
      if (!ta) {  // A stored [M, K]: tx runs along k
        int m = m0 + r, k = k0 + tx;
        As[r][tx] = (m < M && k < K) ? A[(size_t)m * lda + k] : 0.0f;
      } else {  // A stored [K, M]: tx runs along m
        int k = k0 + r, m = m0 + tx;
        As[tx][r] = (m < M && k < K) ? A[(size_t)k * lda + m] : 0.0f;
      }
      if (!tb) {  // B stored [K, N]: tx runs along n
        int k = k0 + r, n = n0 + tx;
        Bs[r][tx] = (n < N && k < K) ? B[(size_t)k * ldb + n] : 0.0f;
      } else {  // B stored [N, K]: tx runs along k
        int n = n0 + r, k = k0 + tx;
        Bs[tx][r] = (n < N && k < K) ? B[(size_t)n * ldb + k] : 0.0f;
      }
    }
    __syncthreads();
    for (int kk = 0; kk < V2_TILE; kk++) {
      float b = Bs[kk][tx];
      for (int i = 0; i < V2_TILE / V2_ROWS; i++) {
        acc[i] += As[ty + V2_ROWS * i][kk] * b;  // the whole warp reads one As word: broadcast
      }
    }
    __syncthreads();  // the tile is overwritten next step
  }
  int n = n0 + tx;
  for (int i = 0; i < V2_TILE / V2_ROWS; i++) {
    int m = m0 + ty + V2_ROWS * i;
    if (m < M && n < N) {
      float* c = C + (size_t)m * ldc + n;
      *c = gemm_epilogue(alpha, acc[i], beta, c);
    }
  }
}

// ---------------------------------------------------------------- v3: register blocking

#define V3_BM 128
#define V3_BN 128
#define V3_BK 8
#define V3_LD (V3_BM + 4)  // shared row stride: keeps float4 alignment, spreads the banks

// Reads this thread's 4 values of the BK x 128 tile of op(X) that starts at (k0, i0), where op(X)
// is [K, MN] (X is B, or A seen transposed). kmajor: X is stored [K, MN] (element (k, i) at
// X[k*ld + i]); else X is stored [MN, K] (element (k, i) at X[i*ld + k]). 256 threads cover the
// 1024 values with one float4 each, reading along X's contiguous dim: kmajor, thread t reads
// row k0 + t/32, columns i0 + 4*(t%32) ... + 3; else row i0 + t/2, k0 + 4*(t%2) ... + 3. Values
// outside [K, MN] read as 0, so the edge tiles add nothing. vec (uniform): X is 16-byte aligned
// and ld % 4 == 0, so every in-range float4 address is aligned.
__device__ __forceinline__ void v3_load(const float* X, int ld, int kmajor, bool vec, int MN, int K,
                                        int i0, int k0, int tid, float r[4]) {
  if (kmajor) {
    int k = k0 + tid / 32;
    int i = i0 + (tid % 32) * 4;
    if (k < K) {
      const float* p = X + (size_t)k * ld + i;
      if (vec && i + 3 < MN) {
        float4 v = *reinterpret_cast<const float4*>(p);
        r[0] = v.x, r[1] = v.y, r[2] = v.z, r[3] = v.w;
        return;
      }
      for (int j = 0; j < 4; j++) {
        r[j] = i + j < MN ? p[j] : 0.0f;
      }
      return;
    }
  } else {
    int i = i0 + tid / 2;
    int k = k0 + (tid % 2) * 4;
    if (i < MN) {
      const float* p = X + (size_t)i * ld + k;
      if (vec && k + 3 < K) {
        float4 v = *reinterpret_cast<const float4*>(p);
        r[0] = v.x, r[1] = v.y, r[2] = v.z, r[3] = v.w;
        return;
      }
      for (int j = 0; j < 4; j++) {
        r[j] = k + j < K ? p[j] : 0.0f;
      }
      return;
    }
  }
  r[0] = r[1] = r[2] = r[3] = 0.0f;
}

// Stores the values v3_load read into the shared tile S [BK][V3_LD], k-major: S[k][i] = op(X)[k, i].
__device__ __forceinline__ void v3_store(float (*S)[V3_LD], int kmajor, int tid, const float r[4]) {
  if (kmajor) {
    *reinterpret_cast<float4*>(&S[tid / 32][(tid % 32) * 4]) = make_float4(r[0], r[1], r[2], r[3]);
  } else {
    int i = tid / 2;
    int k = (tid % 2) * 4;
    for (int j = 0; j < 4; j++) {
      S[k + j][i] = r[j];  // the +4 row padding puts the two k halves of a warp in other banks
    }
  }
}

// Thread t = 16*ty + tx owns rows {4ty..4ty+3, 64+4ty..64+4ty+3} and columns {4tx..4tx+3,
// 64+4tx..64+4tx+3} of the block's 128x128 C tile: split in two halves so that each k-step reads
// its 8 A and 8 B values as four conflict-free float4 loads from shared memory, then does 64 FMAs.
// While the block multiplies tile t, each thread already holds tile t+1's values in registers
// (fetched before the math, so the global latency hides behind it) and stores them into the other
// shared buffer afterwards: one __syncthreads() per k-step.
// The whole of v3 for the C tile of this block (blockIdx.x, blockIdx.y): v5 reuses it on a slice of K.
__device__ __forceinline__ void v3_tile(int M, int N, int K, float alpha, const float* A, int lda,
                                        int ta, const float* B, int ldb, int tb, float beta,
                                        float* C, int ldc) {
  __shared__ __align__(16) float As[2][V3_BK][V3_LD];  // [buf][k][m]: op(A) tile, transposed
  __shared__ __align__(16) float Bs[2][V3_BK][V3_LD];  // [buf][k][n]: op(B) tile
  const int tid = threadIdx.x;
  const int tx = tid % 16;
  const int ty = tid / 16;
  const int m0 = blockIdx.y * V3_BM;
  const int n0 = blockIdx.x * V3_BN;
  // op(A) seen as [K, M] is stored k-major exactly when A is transposed; op(B) when B is not.
  const int aKmajor = ta;
  const int bKmajor = !tb;
  const bool aVec = ((size_t)A % 16 == 0) && (lda % 4 == 0);
  const bool bVec = ((size_t)B % 16 == 0) && (ldb % 4 == 0);
  const int tiles = (K + V3_BK - 1) / V3_BK;

  float acc[8][8];
  for (int i = 0; i < 8; i++) {
    for (int j = 0; j < 8; j++) {
      acc[i][j] = 0.0f;
    }
  }
  float ra[4], rb[4];
  if (tiles > 0) {
    v3_load(A, lda, aKmajor, aVec, M, K, m0, 0, tid, ra);
    v3_load(B, ldb, bKmajor, bVec, N, K, n0, 0, tid, rb);
    v3_store(As[0], aKmajor, tid, ra);
    v3_store(Bs[0], bKmajor, tid, rb);
  }
  __syncthreads();
  for (int t = 0; t < tiles; t++) {
    const int cur = t & 1;
    const bool more = t + 1 < tiles;
    if (more) {
      v3_load(A, lda, aKmajor, aVec, M, K, m0, (t + 1) * V3_BK, tid, ra);
      v3_load(B, ldb, bKmajor, bVec, N, K, n0, (t + 1) * V3_BK, tid, rb);
    }
    for (int kk = 0; kk < V3_BK; kk++) {
      float4 a0 = *reinterpret_cast<const float4*>(&As[cur][kk][ty * 4]);
      float4 a1 = *reinterpret_cast<const float4*>(&As[cur][kk][64 + ty * 4]);
      float4 b0 = *reinterpret_cast<const float4*>(&Bs[cur][kk][tx * 4]);
      float4 b1 = *reinterpret_cast<const float4*>(&Bs[cur][kk][64 + tx * 4]);
      float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
      float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
      for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 8; j++) {
          acc[i][j] += a[i] * b[j];
        }
      }
    }
    if (more) {
      // Nobody reads buffer cur^1 now: everyone passed the barrier that ended step t-1.
      v3_store(As[cur ^ 1], aKmajor, tid, ra);
      v3_store(Bs[cur ^ 1], bKmajor, tid, rb);
    }
    __syncthreads();
  }

  const bool cVec = ((size_t)C % 16 == 0) && (ldc % 4 == 0);
  for (int i = 0; i < 8; i++) {
    int m = m0 + (i < 4 ? ty * 4 + i : 64 + ty * 4 + i - 4);
    if (m >= M) {
      continue;
    }
    for (int half = 0; half < 2; half++) {
      int n = n0 + half * 64 + tx * 4;
      float* c = C + (size_t)m * ldc + n;
      const float* v = &acc[i][half * 4];
      if (cVec && n + 3 < N) {
        float4 out;
        if (beta == 0.0f) {
          out = make_float4(alpha * v[0], alpha * v[1], alpha * v[2], alpha * v[3]);
        } else {
          float4 old = *reinterpret_cast<const float4*>(c);
          out = make_float4(alpha * v[0] + beta * old.x, alpha * v[1] + beta * old.y,
                            alpha * v[2] + beta * old.z, alpha * v[3] + beta * old.w);
        }
        *reinterpret_cast<float4*>(c) = out;
      } else {
        for (int j = 0; j < 4 && n + j < N; j++) {
          c[j] = gemm_epilogue(alpha, v[j], beta, c + j);
        }
      }
    }
  }
}

extern "C" __global__ void __launch_bounds__(256)
    sgemm_v3_regblock(int M, int N, int K, float alpha, const float* A, int lda, int ta,
                      const float* B, int ldb, int tb, float beta, float* C, int ldc) {
  v3_tile(M, N, K, alpha, A, lda, ta, B, ldb, tb, beta, C, ldc);
}

// ---------------------------------------------------------------- v5: split K

// A GEMM with few C tiles and a long K (the weight gradient of a convolution: M = output channels,
// N = C*R*S, K = batch * P * Q, e.g. 16 x 144 x 131072 in ResNet-20) gives v3 one or two blocks,
// each running the whole K alone while the other SMs idle. v5 cuts K into gridDim.z slices of kChunk
// (a multiple of V3_BK) and runs v3_tile on each, writing slice z's partial product to
// W[z] ([M, N], row stride N); sgemm_v5_splitk_reduce then adds the slices in order z = 0, 1, ...
// (in double, so the result is deterministic and rounds once) and applies alpha and beta.
extern "C" __global__ void __launch_bounds__(256)
    sgemm_v5_splitk(int M, int N, int K, int kChunk, const float* A, int lda, int ta,
                    const float* B, int ldb, int tb, float* W) {
  const int k0 = blockIdx.z * kChunk;
  const int kLen = min(kChunk, K - k0);
  const float* a = ta ? A + (size_t)k0 * lda : A + k0;  // op(A)[:, k0:]
  const float* b = tb ? B + k0 : B + (size_t)k0 * ldb;  // op(B)[k0:, :]
  v3_tile(M, N, kLen, 1.0f, a, lda, ta, b, ldb, tb, 0.0f, W + (size_t)blockIdx.z * M * N, N);
}

extern "C" __global__ void sgemm_v5_splitk_reduce(int M, int N, int splits, float alpha,
                                                  const float* W, float beta, float* C, int ldc) {
  const size_t mn = (size_t)M * N;
  for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < mn;
       i += (size_t)gridDim.x * blockDim.x) {
    double acc = 0.0;
    for (int z = 0; z < splits; z++) {
      acc += W[(size_t)z * mn + i];
    }
    float* c = C + (i / N) * ldc + i % N;
    *c = gemm_epilogue(alpha, (float)acc, beta, c);
  }
}

// ---------------------------------------------------------------- v4: TF32 tensor cores

#ifndef JCNN_EMU  // wmma needs warps and tensor cores: GPU only, never emulated
// The v3 tiling and double-buffered loads (v3_load / v3_store: the tiles sit k-major in shared
// memory), with the 8x8 register block replaced by tensor-core fragments: the 8 warps form a 2x4
// grid over the 128x128 tile, each warp owning 64x32 of C as 4x2 accumulator fragments of 16x16,
// and each k-step of 8 is one m16n16k8 TF32 mma per fragment. op(A)'s tile, stored [k][m], is a
// column-major matrix_a; op(B)'s, stored [k][n], a row-major matrix_b; both with ldm = V3_LD (a
// multiple of 4 floats, and every fragment pointer is 32-byte aligned as wmma requires). The
// epilogue goes through a per-warp 16x16 staging tile so that edges, alpha and beta are applied
// per element.
extern "C" __global__ void __launch_bounds__(256)
    sgemm_v4_tf32_wmma(int M, int N, int K, float alpha, const float* A, int lda, int ta,
                       const float* B, int ldb, int tb, float beta, float* C, int ldc) {
  using namespace nvcuda;
  __shared__ __align__(32) float As[2][V3_BK][V3_LD];  // [buf][k][m]
  __shared__ __align__(32) float Bs[2][V3_BK][V3_LD];  // [buf][k][n]
  __shared__ __align__(32) float stage[8][16 * 16];    // [warp][16x16 row-major]
  const int tid = threadIdx.x;
  const int warp = tid / 32;
  const int lane = tid % 32;
  const int wm = (warp / 4) * 64;  // the warp's first row in the tile
  const int wn = (warp % 4) * 32;  // the warp's first column in the tile
  const int m0 = blockIdx.y * V3_BM;
  const int n0 = blockIdx.x * V3_BN;
  const int aKmajor = ta;
  const int bKmajor = !tb;
  const bool aVec = ((size_t)A % 16 == 0) && (lda % 4 == 0);
  const bool bVec = ((size_t)B % 16 == 0) && (ldb % 4 == 0);
  const int tiles = (K + V3_BK - 1) / V3_BK;

  wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[4][2];
  #pragma unroll
  for (int i = 0; i < 4; i++) {
    #pragma unroll
    for (int j = 0; j < 2; j++) {
      wmma::fill_fragment(acc[i][j], 0.0f);
    }
  }
  float ra[4], rb[4];
  if (tiles > 0) {
    v3_load(A, lda, aKmajor, aVec, M, K, m0, 0, tid, ra);
    v3_load(B, ldb, bKmajor, bVec, N, K, n0, 0, tid, rb);
    v3_store(As[0], aKmajor, tid, ra);
    v3_store(Bs[0], bKmajor, tid, rb);
  }
  __syncthreads();
  for (int t = 0; t < tiles; t++) {
    const int cur = t & 1;
    const bool more = t + 1 < tiles;
    if (more) {
      v3_load(A, lda, aKmajor, aVec, M, K, m0, (t + 1) * V3_BK, tid, ra);
      v3_load(B, ldb, bKmajor, bVec, N, K, n0, (t + 1) * V3_BK, tid, rb);
    }
    wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::col_major> fa[4];
    wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> fb[2];
    #pragma unroll
    for (int i = 0; i < 4; i++) {
      wmma::load_matrix_sync(fa[i], &As[cur][0][wm + 16 * i], V3_LD);
      for (int e = 0; e < fa[i].num_elements; e++) {
        fa[i].x[e] = wmma::__float_to_tf32(fa[i].x[e]);
      }
    }
    #pragma unroll
    for (int j = 0; j < 2; j++) {
      wmma::load_matrix_sync(fb[j], &Bs[cur][0][wn + 16 * j], V3_LD);
      for (int e = 0; e < fb[j].num_elements; e++) {
        fb[j].x[e] = wmma::__float_to_tf32(fb[j].x[e]);
      }
    }
    #pragma unroll
    for (int i = 0; i < 4; i++) {
      #pragma unroll
      for (int j = 0; j < 2; j++) {
        wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
      }
    }
    if (more) {
      v3_store(As[cur ^ 1], aKmajor, tid, ra);
      v3_store(Bs[cur ^ 1], bKmajor, tid, rb);
    }
    __syncthreads();
  }

  float* st = stage[warp];
  #pragma unroll
  for (int i = 0; i < 4; i++) {
    #pragma unroll
    for (int j = 0; j < 2; j++) {
      wmma::store_matrix_sync(st, acc[i][j], 16, wmma::mem_row_major);
      __syncwarp();
      for (int e = lane; e < 256; e += 32) {
        int m = m0 + wm + 16 * i + e / 16;
        int n = n0 + wn + 16 * j + e % 16;
        if (m < M && n < N) {
          float* c = C + (size_t)m * ldc + n;
          *c = gemm_epilogue(alpha, st[e], beta, c);
        }
      }
      __syncwarp();  // the staging tile is overwritten by the next fragment
    }
  }
}
#endif  // JCNN_EMU
