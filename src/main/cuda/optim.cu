// optim.cu: in-place optimizer updates, the GPU twins of RefLossOptim.sgdStep / adamStep:
// PyTorch's torch.optim.SGD (dampening 0) and torch.optim.Adam (Kingma and Ba, "Adam", ICLR 2015,
// L2 weight decay added to the gradient, not AdamW). Each element's update is computed in double
// in the reference's formula order and rounded to float once per stored value, so the GPU step
// matches the CPU step to the last bit or so (the cost is negligible: one pass over the weights).
//
// Kernels (grid-stride, any grid; Java launches block 256, grid min(ceil(n/256), 4096)):
//   sgd_step_v1   g' = g + weightDecay*w; with momentum v = momentum*v + g' and the step is v (or
//                 g' + momentum*v with Nesterov); w -= lr*step. v may be NULL when momentum == 0.
//   adam_step_v1  m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2; w -= lr * mhat / (sqrt(vhat) + eps)
//                 with mhat = m / biasCorr1, vhat = v / biasCorr2; the host passes biasCorr1 =
//                 1 - beta1^step and biasCorr2 = 1 - beta2^step (computed in double, rounded to
//                 float by the signature: a relative difference of ~1e-7 from the reference).
//
// Test without a GPU: mvn -Dtest=KernelEmulationTest test (test_optim.cpp).

// w, g, v [n]
extern "C" __global__ void sgd_step_v1(float* w, const float* g, float* v, int n, float lr,
                                       float momentum, float weightDecay, int nesterov) {
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    double grad = g[i] + (double)weightDecay * w[i];
    double step = grad;
    if (momentum != 0.0f) {
      double vi = (double)momentum * v[i] + grad;
      v[i] = (float)vi;
      step = nesterov ? grad + (double)momentum * vi : vi;
    }
    w[i] = (float)(w[i] - (double)lr * step);
  }
}

// w, g, m, v [n]
extern "C" __global__ void adam_step_v1(float* w, const float* g, float* m, float* v, int n,
                                        float lr, float beta1, float beta2, float eps,
                                        float weightDecay, float biasCorr1, float biasCorr2) {
  const unsigned stride = blockDim.x * gridDim.x;
  for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned)n; i += stride) {
    double grad = g[i] + (double)weightDecay * w[i];
    double mi = (double)beta1 * m[i] + (1.0 - (double)beta1) * grad;
    double vi = (double)beta2 * v[i] + (1.0 - (double)beta2) * grad * grad;
    m[i] = (float)mi;
    v[i] = (float)vi;
    double mHat = mi / biasCorr1;
    double vHat = vi / biasCorr2;
    w[i] = (float)(w[i] - (double)lr * mHat / (sqrt(vHat) + (double)eps));
  }
}
