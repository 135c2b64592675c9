// pool.cu: max and average pooling over each plane of x [N, C, H, W] -> y [N, C, P, Q], the GPU
// twins of jcnn.backend.cpu.RefPool. The planes are flattened: NC = N*C. The window of output
// (p, q) covers input rows p*sH - pH ... + kH-1 and columns q*sW - pW ... + kW-1; positions in the
// padding are skipped (max never picks them, average does not count them: count_include_pad =
// False). The Java side checks pH < kH and pW < kW, so every window holds a real position.
//
// Kernels (grid-stride, any grid; Java launches block 256, grid min(ceil(n/256), 4096)):
//   maxpool_fwd_v1  one thread per output; scans the window row-major, a value replaces the best
//                   only when strictly greater (the first of tied values wins) or when it is the
//                   first NaN (a NaN shows in the output); argmax = h*W + w in the input plane
//   maxpool_bwd_v1  one thread per output: atomicAdd of gy into gx at its argmax (gx zeroed by
//                   the caller with fill_v1; overlapping windows make the sum order, and so the
//                   last bits, vary from run to run)
//   avgpool_fwd_v1  one thread per output: mean of the window's real positions
//   avgpool_bwd_v1  one thread per input element, GATHER form (no atomics, deterministic): sums
//                   gy/count over the outputs whose window covers it; overwrites gx
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (test_pool.cpp, against RefPool's loops).

// x [NC, H, W] -> y, argmax [NC, P, Q]
extern "C" __global__ void maxpool_fwd_v1(const float* x, float* y, int* argmax, int NC, int H,
                                          int W, int P, int Q, int kH, int kW, int sH, int sW,
                                          int pH, int pW) {
  const unsigned total = (unsigned)NC * P * Q;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned o = blockIdx.x * blockDim.x + threadIdx.x; o < total; o += stride) {
    int q = o % Q;
    int p = (o / Q) % P;
    const float* plane = x + (size_t)(o / (Q * P)) * H * W;
    int best = -1;
    float bestV = 0.0f;
    for (int r = 0; r < kH; r++) {
      int h = p * sH - pH + r;
      if (h < 0 || h >= H) {
        continue;
      }
      for (int s = 0; s < kW; s++) {
        int w = q * sW - pW + s;
        if (w < 0 || w >= W) {
          continue;
        }
        float v = plane[h * W + w];
        // RefPool.beats: strictly greater, or the first NaN (v != v is NaN, bestV == bestV not).
        if (best < 0 || v > bestV || (v != v && bestV == bestV)) {
          best = h * W + w;
          bestV = v;
        }
      }
    }
    y[o] = bestV;
    argmax[o] = best;
  }
}

// gy, argmax [NC, P, Q] -> gx [NC, H, W] (accumulated; zero it first)
extern "C" __global__ void maxpool_bwd_v1(const float* gy, const int* argmax, float* gx, int NC,
                                          int H, int W, int P, int Q) {
  const unsigned total = (unsigned)NC * P * Q;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned o = blockIdx.x * blockDim.x + threadIdx.x; o < total; o += stride) {
    size_t plane = o / (Q * P);
    atomicAdd(&gx[plane * H * W + argmax[o]], gy[o]);
  }
}

// x [NC, H, W] -> y [NC, P, Q]
extern "C" __global__ void avgpool_fwd_v1(const float* x, float* y, int NC, int H, int W, int P,
                                          int Q, int kH, int kW, int sH, int sW, int pH, int pW) {
  const unsigned total = (unsigned)NC * P * Q;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned o = blockIdx.x * blockDim.x + threadIdx.x; o < total; o += stride) {
    int q = o % Q;
    int p = (o / Q) % P;
    const float* plane = x + (size_t)(o / (Q * P)) * H * W;
    int h0 = max(p * sH - pH, 0), h1 = min(p * sH - pH + kH, H);
    int w0 = max(q * sW - pW, 0), w1 = min(q * sW - pW + kW, W);
    float sum = 0.0f;
    for (int h = h0; h < h1; h++) {
      for (int w = w0; w < w1; w++) {
        sum += plane[h * W + w];
      }
    }
    y[o] = sum / (float)((h1 - h0) * (w1 - w0));
  }
}

// gy [NC, P, Q] -> gx [NC, H, W] (overwritten). Input row h lies in the window of output row p
// iff p*sH - pH <= h < p*sH - pH + kH, i.e. ceil((h + pH - kH + 1) / sH) <= p <= (h + pH) / sH.
extern "C" __global__ void avgpool_bwd_v1(const float* gy, float* gx, int NC, int H, int W, int P,
                                          int Q, int kH, int kW, int sH, int sW, int pH, int pW) {
  const unsigned total = (unsigned)NC * H * W;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    int w = i % W;
    int h = (i / W) % H;
    const float* g = gy + (size_t)(i / (W * H)) * P * Q;
    int lowH = h + pH - kH + 1, lowW = w + pW - kW + 1;
    int pLo = lowH <= 0 ? 0 : (lowH + sH - 1) / sH;
    int pHi = min((h + pH) / sH, P - 1);
    int qLo = lowW <= 0 ? 0 : (lowW + sW - 1) / sW;
    int qHi = min((w + pW) / sW, Q - 1);
    float sum = 0.0f;
    for (int p = pLo; p <= pHi; p++) {
      int h0 = max(p * sH - pH, 0), h1 = min(p * sH - pH + kH, H);
      for (int q = qLo; q <= qHi; q++) {
        int w0 = max(q * sW - pW, 0), w1 = min(q * sW - pW + kW, W);
        // The forward divided by the number of real (unpadded) positions in this window.
        sum += g[p * Q + q] / (float)((h1 - h0) * (w1 - w0));
      }
    }
    gx[i] = sum;
  }
}
