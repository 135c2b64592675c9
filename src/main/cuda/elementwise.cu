// elementwise.cu: jcnn's elementwise CUDA kernels (Backend.binary, unary, unaryBackward, axpby,
// sumTo and filling a buffer), the GPU twins of jcnn.backend.cpu.RefElementwise.
//
// Kernels (name: what; launch):
//   fill_v1               x[i] = v                                        grid-stride, any grid
//   binary_v1_broadcast   out = a (op) b, NumPy broadcasting via strides  grid-stride, any grid
//   unary_v1              out = op(x), out may be x                       grid-stride, any grid
//   unary_backward_v1     gx = gy * op'(x, y)                             grid-stride, any grid
//   axpby_v1              y = alpha*x + beta*y (beta 0 ignores y)         grid-stride, any grid
//   sum_to_v1             out = x summed down to out's shape (sumTo)      block per output
//
// The Java side launches the grid-stride kernels with block 256 and grid min(ceil(n/256), 4096);
// any grid gives the same result. Op codes are the ordinals of jcnn.backend.BinaryOp (0 ADD, 1
// SUB, 2 MUL, 3 DIV) and jcnn.backend.UnaryOp (0 RELU, 1 RELU6, 2 HARDTANH, 3 SIGMOID, 4 TANH,
// 5 SIGN, 6 EXP, 7 LOG, 8 NEG, 9 SQUARE). The reference computes in double and rounds once; these
// compute in float with the accurate expf/tanhf/logf, so they agree within a few ulps. NaNs
// propagate as in Java's Math.min/max (fminf/fmaxf would drop them, so they are not used).
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (src/test/cuda/emu/kernels_test.cpp runs
// every kernel here on the CPU against double-precision references).

// ---------------------------------------------------------------- fill

extern "C" __global__ void fill_v1(float* x, int n, float v) {
  // Unsigned indices: i + stride never overflows for n < 2^31.
  unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    x[i] = v;
  }
}

// ---------------------------------------------------------------- binary with broadcasting

__device__ __forceinline__ float binary_apply(int op, float a, float b) {
  switch (op) {
    case 0:
      return a + b;
    case 1:
      return a - b;
    case 2:
      return a * b;
    default:
      return a / b;
  }
}

// out [n/(d1*d2*d3), d1, d2, d3]; a and b are read through element strides sa*/sb* in those four
// dims, 0 where the operand is broadcast (its dim is 1 or missing).
extern "C" __global__ void binary_v1_broadcast(int op, int n, const float* a, const float* b,
                                               float* out, int d1, int d2, int d3, int sa0,
                                               int sa1, int sa2, int sa3, int sb0, int sb1,
                                               int sb2, int sb3) {
  unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    unsigned t = i;
    int i3 = t % d3;
    t /= d3;
    int i2 = t % d2;
    t /= d2;
    int i1 = t % d1;
    int i0 = t / d1;
    float va = a[i0 * sa0 + i1 * sa1 + i2 * sa2 + i3 * sa3];
    float vb = b[i0 * sb0 + i1 * sb1 + i2 * sb2 + i3 * sb3];
    out[i] = binary_apply(op, va, vb);
  }
}

// ---------------------------------------------------------------- unary

__device__ __forceinline__ float unary_apply(int op, float x) {
  switch (op) {
    case 0:  // RELU: x > 0 ? x : 0 (NaN -> 0, as in Java)
      return x > 0.0f ? x : 0.0f;
    case 1:  // RELU6 = min(max(x, 0), 6), NaN stays NaN
      return x > 0.0f ? (x < 6.0f ? x : 6.0f) : (x != x ? x : 0.0f);
    case 2:  // HARDTANH = min(max(x, -1), 1), NaN stays NaN
      return x > -1.0f ? (x < 1.0f ? x : 1.0f) : (x != x ? x : -1.0f);
    case 3:  // SIGMOID
      return 1.0f / (1.0f + expf(-x));
    case 4:  // TANH
      return tanhf(x);
    case 5:  // SIGN: sign(0) = +1, NaN -> -1 (as in Java)
      return x >= 0.0f ? 1.0f : -1.0f;
    case 6:  // EXP
      return expf(x);
    case 7:  // LOG
      return logf(x);
    case 8:  // NEG
      return -x;
    default:  // SQUARE
      return x * x;
  }
}

// dy/dx at input x with output y = op(x); at kinks the left piece's derivative (UnaryOp.derivative).
__device__ __forceinline__ float unary_derivative(int op, float x, float y) {
  switch (op) {
    case 0:
      return x > 0.0f ? 1.0f : 0.0f;
    case 1:
      return x > 0.0f && x < 6.0f ? 1.0f : 0.0f;
    case 2:
      return x > -1.0f && x < 1.0f ? 1.0f : 0.0f;
    case 3:
      return y * (1.0f - y);
    case 4:
      return 1.0f - y * y;
    case 5:  // straight-through estimator of sign: 1 where |x| <= 1
      return x >= -1.0f && x <= 1.0f ? 1.0f : 0.0f;
    case 6:
      return y;
    case 7:
      return 1.0f / x;
    case 8:
      return -1.0f;
    default:
      return 2.0f * x;
  }
}

// x, out [n]; out may be x.
extern "C" __global__ void unary_v1(int op, int n, const float* x, float* out) {
  unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    out[i] = unary_apply(op, x[i]);
  }
}

// x, y, gy, gx [n]
extern "C" __global__ void unary_backward_v1(int op, int n, const float* x, const float* y,
                                             const float* gy, float* gx) {
  unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    gx[i] = gy[i] * unary_derivative(op, x[i], y[i]);
  }
}

// ---------------------------------------------------------------- axpby

// x, y [n]; beta == 0 must ignore y entirely (0 * NaN would be NaN).
extern "C" __global__ void axpby_v1(int n, float alpha, const float* x, float beta, float* y) {
  unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    float old = beta == 0.0f ? 0.0f : beta * y[i];
    y[i] = alpha * x[i] + old;
  }
}

// ---------------------------------------------------------------- sumTo

#define SUM_TO_MAX_THREADS 256

// x [x0, x1, x2, x3] summed down to out [o0, o1, o2, o3], each o_i == x_i or 1 (both shapes
// left-padded to rank 4). Block per output element (grid-stride over outputs: any grid works);
// blockDim.x must be a power of two <= 256 (the Java side uses 256). The block's threads stride
// over the reduced index space (the dims where o_i == 1), accumulate in double, and combine in a
// shared-memory tree; double keeps the sum of many small gradients as close to the reference's
// double sum as one final rounding.
extern "C" __global__ void sum_to_v1(const float* x, float* out, int outN, int x0, int x1, int x2,
                                     int x3, int o0, int o1, int o2, int o3) {
  __shared__ double partial[SUM_TO_MAX_THREADS];
  // The reduced dims: r_i = x_i where out keeps 1 there, else 1 (that coordinate is fixed).
  int r1 = o1 == 1 ? x1 : 1;
  int r2 = o2 == 1 ? x2 : 1;
  int r3 = o3 == 1 ? x3 : 1;
  int r0 = o0 == 1 ? x0 : 1;
  unsigned count = (unsigned)r0 * r1 * r2 * r3;
  for (int o = blockIdx.x; o < outN; o += gridDim.x) {
    int c3 = o % o3;
    int c2 = (o / o3) % o2;
    int c1 = (o / (o3 * o2)) % o1;
    int c0 = o / (o3 * o2 * o1);
    double acc = 0.0;
    for (unsigned j = threadIdx.x; j < count; j += blockDim.x) {
      unsigned t = j;
      int j3 = t % r3;
      t /= r3;
      int j2 = t % r2;
      t /= r2;
      int j1 = t % r1;
      int j0 = t / r1;
      int i0 = o0 == 1 ? j0 : c0;
      int i1 = o1 == 1 ? j1 : c1;
      int i2 = o2 == 1 ? j2 : c2;
      int i3 = o3 == 1 ? j3 : c3;
      acc += x[((i0 * x1 + i1) * x2 + i2) * x3 + i3];
    }
    partial[threadIdx.x] = acc;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
      if (threadIdx.x < half) {
        partial[threadIdx.x] += partial[threadIdx.x + half];
      }
      __syncthreads();
    }
    if (threadIdx.x == 0) {
      out[o] = (float)partial[0];
    }
    __syncthreads();  // partial is reused by the next output
  }
}
