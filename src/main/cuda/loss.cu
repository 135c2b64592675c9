// loss.cu: fused softmax cross-entropy over rows of logits [N, classes], the GPU twin of
// RefLossOptim.softmaxCrossEntropy(Backward). Stable form: with M = max of the row,
// logsumexp = M + log sum exp(z - M), so no exp overflows and -log p[label] = logsumexp - z[label]
// never takes the log of an underflowed 0.
//
// Kernels (grid-stride, any grid; Java launches block 256, grid min(ceil(n/256), 4096) with
// n = N rows for the forward and n = N*classes for the backward):
//   softmax_xent_fwd_v1  one thread per row: probs [N, classes] = softmax(logits); rowLoss [N] =
//                        logsumexp - logits[label] (the host sums rowLoss in double and divides by
//                        N). The exp-sum is accumulated in double, the row loss formed in double.
//   softmax_xent_bwd_v1  one thread per element: g = scale * (probs - onehot(labels))
// One thread per row is plenty for jcnn's classifiers (10 to 1000 classes, N rows in flight); a
// block-per-row v2 would pay off only for very wide rows.
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (test_loss.cpp, against double loops).

// logits, probs [N, classes]; labels, rowLoss [N]
extern "C" __global__ void softmax_xent_fwd_v1(const float* logits, const int* labels, float* probs,
                                               float* rowLoss, int N, int classes) {
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)N; i += stride) {
    const float* z = logits + (size_t)i * classes;
    float* pr = probs + (size_t)i * classes;
    float mx = z[0];
    for (int j = 1; j < classes; j++) {
      mx = z[j] > mx ? z[j] : mx;
    }
    double sum = 0.0;
    for (int j = 0; j < classes; j++) {
      sum += expf(z[j] - mx);
    }
    const float inv = (float)(1.0 / sum);
    for (int j = 0; j < classes; j++) {
      pr[j] = expf(z[j] - mx) * inv;
    }
    // logsumexp - z[label] = log(sum) - (z[label] - M)
    rowLoss[i] = (float)(log(sum) - (double)(z[labels[i]] - mx));
  }
}

// probs, g [N, classes]; labels [N]
extern "C" __global__ void softmax_xent_bwd_v1(const float* probs, const int* labels, float scale,
                                               float* g, int N, int classes) {
  const unsigned total = (unsigned)N * classes;
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += stride) {
    int row = i / classes;
    int j = i % classes;
    float onehot = j == labels[row] ? 1.0f : 0.0f;
    g[i] = scale * (probs[i] - onehot);
  }
}
