// conv.cu: the data movement around convolution-as-GEMM (Chellapilla, Puri and Simard, "High
// Performance Convolutional Neural Networks for Document Processing", 2006): im2col unrolls each
// receptive field into a column so that one GEMM with the [K, C*R*S] weight matrix computes the
// whole convolution; col2im is its adjoint for the data gradient; the two layout kernels move
// between GEMM's [K, N*P*Q] output and the tensor layout [N, K, P, Q]. The Java side (CudaBackend)
// runs them per group g with c0 = g*Cg and k0 = g*Kg, and calls gemm.cu in between:
//   forward        y   = nkpq_from_knpq(w_g [Kg, Cg*R*S] x im2col(x)) + bias
//   backward data  gx  = col2im(w_g^T x knpq_from_nkpq(gy))
//   backward w     gw_g = knpq_from_nkpq(gy) x im2col(x)^T
//
// Kernels (all one thread per output element, grid-stride, any grid; Java launches block 256,
// grid min(ceil(n/256), 4096)):
//   im2col_v1          col [Cg*R*S, N*P*Q] from x [N, C, H, W] (channels c0 ... c0+Cg-1)
//   col2im_v1          gx[:, c0:c0+Cg] (overwritten) = adjoint of im2col, in GATHER form: each gx
//                      element sums the col entries that read it, so no atomics and the result is
//                      deterministic; other channels of gx are untouched
//   nkpq_from_knpq_v1  y [N, K, P*Q] channels k0 ... k0+Kg-1 = src [Kg, N*P*Q] + bias (bias may be
//                      NULL)
//   knpq_from_nkpq_v1  dst [Kg, N*P*Q] = gy [N, K, P*Q] channels k0 ... k0+Kg-1
//
// Legend: N batch, C in-channels, K out-channels, H x W input, R x S filter, P x Q output; row
// (c*R + r)*S + s of col belongs to channel c0+c, column (n*P + p)*Q + q to output pixel (n, p, q).
// Indices are unsigned 32-bit: every buffer must hold fewer than 2^31 floats (the int sizes of the
// signatures say as much).
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (test_conv.cpp checks them, and the full
// convolution built from them and sgemm, against a direct double-precision convolution).

// x [N, C, H, W] -> col [Cg*R*S, N*P*Q]
extern "C" __global__ void im2col_v1(const float* x, float* col, int N, int C, int H, int W, int c0,
                                     int Cg, int R, int S, int P, int Q, int strideH, int strideW,
                                     int padH, int padW) {
  const unsigned npq = (unsigned)N * P * Q;
  const unsigned total = (unsigned)Cg * R * S * npq;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    unsigned column = i % npq;  // consecutive threads: consecutive output pixels, coalesced writes
    unsigned row = i / npq;
    int q = column % Q;
    int p = (column / Q) % P;
    int n = column / (Q * P);
    int s = row % S;
    int r = (row / S) % R;
    int c = row / (S * R);
    int h = p * strideH - padH + r;
    int w = q * strideW - padW + s;
    bool inside = h >= 0 && h < H && w >= 0 && w < W;
    col[i] = inside ? x[(((size_t)n * C + c0 + c) * H + h) * W + w] : 0.0f;
  }
}

// col [Cg*R*S, N*P*Q] -> gx [N, C, H, W], channels c0 ... c0+Cg-1 overwritten. Element (n, c, h, w)
// was read by filter tap (r, s) of output (p, q) exactly when h = p*strideH - padH + r and
// w = q*strideW - padW + s, so for each tap the output pixel is found by one division.
extern "C" __global__ void col2im_v1(const float* col, float* gx, int N, int C, int H, int W, int c0,
                                     int Cg, int R, int S, int P, int Q, int strideH, int strideW,
                                     int padH, int padW) {
  const unsigned npq = (unsigned)N * P * Q;
  const unsigned total = (unsigned)N * Cg * H * W;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    int w = i % W;
    int h = (i / W) % H;
    int c = (i / (W * H)) % Cg;
    int n = i / (W * H * Cg);
    float sum = 0.0f;
    for (int r = 0; r < R; r++) {
      int ph = h + padH - r;  // = p * strideH when tap r of row p lands on h
      if (ph < 0 || ph % strideH != 0 || ph / strideH >= P) {
        continue;
      }
      int p = ph / strideH;
      for (int s = 0; s < S; s++) {
        int qw = w + padW - s;
        if (qw < 0 || qw % strideW != 0 || qw / strideW >= Q) {
          continue;
        }
        int q = qw / strideW;
        unsigned row = ((unsigned)c * R + r) * S + s;
        sum += col[(size_t)row * npq + ((unsigned)n * P + p) * Q + q];
      }
    }
    gx[(((size_t)n * C + c0 + c) * H + h) * W + w] = sum;
  }
}

// src [Kg, N*PQ] (+ bias[k0 + k]) -> y [N, K, PQ] channels k0 ... k0+Kg-1
extern "C" __global__ void nkpq_from_knpq_v1(const float* src, const float* bias, float* y, int N,
                                             int K, int k0, int Kg, int PQ) {
  const unsigned total = (unsigned)N * Kg * PQ;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    // i walks y's group slice in its own order, so both the writes and the reads run along pq.
    int pq = i % PQ;
    int k = (i / PQ) % Kg;
    int n = i / (PQ * Kg);
    float v = src[((size_t)k * N + n) * PQ + pq];
    if (bias != nullptr) {
      v += bias[k0 + k];
    }
    y[((size_t)n * K + k0 + k) * PQ + pq] = v;
  }
}

// gy [N, K, PQ] channels k0 ... k0+Kg-1 -> dst [Kg, N*PQ]
extern "C" __global__ void knpq_from_nkpq_v1(const float* gy, float* dst, int N, int K, int k0,
                                             int Kg, int PQ) {
  const unsigned total = (unsigned)Kg * N * PQ;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    int pq = i % PQ;
    int n = (i / PQ) % N;
    int k = i / (PQ * N);
    dst[i] = gy[((size_t)n * K + k0 + k) * PQ + pq];
  }
}
