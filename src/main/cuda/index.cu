// index.cu: data-movement kernels: gather / scatter-add over flattened tensors (weight sharing
// reads a layer's weights from its codebook with gather; scatter-add, its backward, is Deep
// Compression's codebook gradient: Han et al., ICLR 2016), the dropout mask, and concat / split.
// GPU twins of jcnn.backend.cpu.RefIndexing and DropoutHash.
//
// Kernels (all grid-stride, any grid; Java launches block 256, grid min(ceil(n/256), 4096)):
//   gather_v1        out[i] = table[idx[i]], i < n
//   scatter_add_v1   table[idx[i]] += src[i] with atomicAdd (float sums of repeated indices: the
//                    order, and so the last bits, vary between runs; the reference sums in double)
//   dropout_mask_v1  mask[i] = keep ? scale : 0, keep = DropoutHash.keep(seed, i, p) BIT-EXACTLY:
//                    u = (SplitMix64 finaliser of seed + i * 0x9E3779B97F4A7C15, all unsigned 64-bit)
//                    >> 40, times 2^-24 as a double; kept iff u >= p. scale = DropoutHash.scale(p).
//   concat_copy_v1   one part of a concat or split along an axis, tensors viewed as
//                    [outer, axis, inner] (see the kernel's comment for which pointer is which)
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (test_index.cpp; the dropout bits are
// compared with values KernelEmulationTest computes from the Java DropoutHash).

// table [any]; idx, out [n]
extern "C" __global__ void gather_v1(const float* table, const int* idx, float* out, int n) {
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    out[i] = table[idx[i]];
  }
}

// src, idx [n]; table [any], accumulated into
extern "C" __global__ void scatter_add_v1(const float* src, const int* idx, float* table, int n) {
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    atomicAdd(&table[idx[i]], src[i]);
  }
}

// SplitMix64's finaliser (Steele, Lea and Flood, OOPSLA 2014), as DropoutHash.mix64 (Java's >>>
// is the unsigned shift of these unsigned words).
__device__ __forceinline__ unsigned long long dropout_mix64(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// mask [n]
extern "C" __global__ void dropout_mask_v1(float* mask, int n, long long seed, float p,
                                           float scale) {
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    unsigned long long z = (unsigned long long)seed + (unsigned long long)i * 0x9E3779B97F4A7C15ULL;
    double u = (double)(dropout_mix64(z) >> 40) * 0x1.0p-24;  // exact: 24 bits fit a double
    mask[i] = u >= (double)p ? scale : 0.0f;
  }
}

// Copies one part of a concat (toDst == 1) or of a split (toDst == 0). Both tensors are viewed as
// [outer, axis, inner] with the same outer and inner; `src` is always read, `dst` always written;
// srcAxis and dstAxis are their axis lengths.
//   toDst == 1 (concat): src is the PART [outer, srcAxis, inner], dst the WHOLE [outer, dstAxis,
//                        inner]: dst[o, axisOffset + a, i] = src[o, a, i] for a < srcAxis.
//   toDst == 0 (split):  src is the WHOLE [outer, srcAxis, inner], dst the PART [outer, dstAxis,
//                        inner]: dst[o, a, i] = src[o, axisOffset + a, i] for a < dstAxis.
// One thread per element of the part, so both sides are read and written along inner.
extern "C" __global__ void concat_copy_v1(const float* src, float* dst, int outer, int srcAxis,
                                          int dstAxis, int axisOffset, int inner, int toDst) {
  const int partAxis = toDst ? srcAxis : dstAxis;
  const int wholeAxis = toDst ? dstAxis : srcAxis;
  const unsigned total = (unsigned)outer * partAxis * inner;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned e = blockIdx.x * blockDim.x + threadIdx.x; e < total; e += stride) {
    int i = e % inner;
    int a = (e / inner) % partAxis;
    int o = e / (inner * partAxis);
    size_t whole = ((size_t)o * wholeAxis + axisOffset + a) * inner + i;
    if (toDst) {
      dst[whole] = src[e];
    } else {
      dst[e] = src[whole];
    }
  }
}
