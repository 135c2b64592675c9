// norm.cu: batch normalisation (Ioffe and Szegedy, "Batch Normalization", ICML 2015) over channel
// dim 1 of x viewed as [N, C, HW] (HW = H*W, or 1 for 2-D input), the GPU twin of
// jcnn.backend.cpu.RefNorm. With m = N*HW values per channel, xhat = (x - mean) * invStd and
// invStd = 1/sqrt(var + eps):
//   y  = gamma * xhat + beta
//   gBeta = sum gy,  gGamma = sum gy * xhat
//   gx = gamma * invStd * gy                                        (eval: statistics fixed)
//   gx = gamma * invStd * (gy - gBeta/m - xhat * gGamma/m)          (training)
//
// Kernels:
//   bn_stats_v1       block per channel (grid C, or fewer: grid-stride over channels); training:
//                     two-pass mean and biased variance, sums in double, running averages updated
//                     with the unbiased variance var*m/(m-1) (the Java side rejects m < 2 in
//                     training, as RefNorm does; m = 1 would leave the biased one); eval: the
//                     running statistics, untouched
//   bn_apply_v1       y = gamma * (x - mean) * invStd + beta, grid-stride over x, any grid
//   bn_bwd_reduce_v1  block per channel: gBeta and gGamma, sums in double
//   bn_bwd_data_v1    gx from the formulas above, grid-stride over x, any grid (needs the gGamma
//                     and gBeta of bn_bwd_reduce_v1 when training)
// The block-per-channel kernels need blockDim.x a power of two <= 256 (Java launches 256) and reduce
// in shared memory with a tree (no warp shuffles, so they also run in the CPU emulation).
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (test_norm.cpp, against RefNorm's loops).

#define BN_MAX_THREADS 256

// The sum of v over the block's threads, returned to every thread. Every thread must call it.
__device__ double bn_block_sum(double v, double* partial) {
  partial[threadIdx.x] = v;
  __syncthreads();
  for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) {
      partial[threadIdx.x] += partial[threadIdx.x + half];
    }
    __syncthreads();
  }
  double total = partial[0];
  __syncthreads();  // partial is reused by the next call
  return total;
}

// Offset of value j (0 <= j < N*HW) of channel c: x[n, c, hw] with n = j / HW, hw = j % HW.
__device__ __forceinline__ size_t bn_at(unsigned j, int c, int C, int HW) {
  return ((size_t)(j / HW) * C + c) * HW + j % HW;
}

// x [N, C, HW] -> mean, invStd [C]; runMean, runVar [C] updated in training
extern "C" __global__ void bn_stats_v1(const float* x, float* mean, float* invStd, float* runMean,
                                       float* runVar, int N, int C, int HW, float momentum,
                                       float eps, int training) {
  __shared__ double partial[BN_MAX_THREADS];
  const unsigned m = (unsigned)N * HW;
  for (int c = blockIdx.x; c < C; c += gridDim.x) {
    if (!training) {
      if (threadIdx.x == 0) {
        mean[c] = runMean[c];
        invStd[c] = (float)(1.0 / sqrt((double)runVar[c] + eps));
      }
      continue;
    }
    double s = 0.0;
    for (unsigned j = threadIdx.x; j < m; j += blockDim.x) {
      s += x[bn_at(j, c, C, HW)];
    }
    const double mu = bn_block_sum(s, partial) / m;
    // Second pass over the (cached) data: no cancellation from E[x^2] - E[x]^2.
    double s2 = 0.0;
    for (unsigned j = threadIdx.x; j < m; j += blockDim.x) {
      double d = x[bn_at(j, c, C, HW)] - mu;
      s2 += d * d;
    }
    const double var = bn_block_sum(s2, partial) / m;
    if (threadIdx.x == 0) {
      double unbiased = m > 1 ? var * m / (m - 1) : var;
      runMean[c] = (float)((1.0 - momentum) * runMean[c] + (double)momentum * mu);
      runVar[c] = (float)((1.0 - momentum) * runVar[c] + (double)momentum * unbiased);
      mean[c] = (float)mu;
      invStd[c] = (float)(1.0 / sqrt(var + eps));
    }
  }
}

// x, y [N, C, HW]; mean, invStd, gamma, beta [C]
extern "C" __global__ void bn_apply_v1(const float* x, const float* mean, const float* invStd,
                                       const float* gamma, const float* beta, float* y, int N,
                                       int C, int HW) {
  const unsigned total = (unsigned)N * C * HW;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    int c = (i / HW) % C;
    y[i] = gamma[c] * (x[i] - mean[c]) * invStd[c] + beta[c];
  }
}

// x, gy [N, C, HW] -> gGamma, gBeta [C] (overwritten)
extern "C" __global__ void bn_bwd_reduce_v1(const float* x, const float* gy, const float* mean,
                                            const float* invStd, float* gGamma, float* gBeta,
                                            int N, int C, int HW) {
  __shared__ double partial[BN_MAX_THREADS];
  const unsigned m = (unsigned)N * HW;
  for (int c = blockIdx.x; c < C; c += gridDim.x) {
    const double mu = mean[c];
    const double is = invStd[c];
    double sumGy = 0.0, sumGyXhat = 0.0;
    for (unsigned j = threadIdx.x; j < m; j += blockDim.x) {
      size_t at = bn_at(j, c, C, HW);
      double g = gy[at];
      sumGy += g;
      sumGyXhat += g * (x[at] - mu) * is;
    }
    sumGy = bn_block_sum(sumGy, partial);
    sumGyXhat = bn_block_sum(sumGyXhat, partial);
    if (threadIdx.x == 0) {
      gBeta[c] = (float)sumGy;
      gGamma[c] = (float)sumGyXhat;
    }
  }
}

// x, gy, gx [N, C, HW]; mean, invStd, gamma, gGamma, gBeta [C]
extern "C" __global__ void bn_bwd_data_v1(const float* x, const float* gy, const float* mean,
                                          const float* invStd, const float* gamma,
                                          const float* gGamma, const float* gBeta, float* gx, int N,
                                          int C, int HW, int training) {
  const unsigned total = (unsigned)N * C * HW;
  const float m = (float)N * HW;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    int c = (i / HW) % C;
    float scale = gamma[c] * invStd[c];
    if (training) {
      float xhat = (x[i] - mean[c]) * invStd[c];
      gx[i] = scale * (gy[i] - gBeta[c] / m - xhat * (gGamma[c] / m));
    } else {
      gx[i] = scale * gy[i];
    }
  }
}
