// kernels.h: the C prototype of every emulated jcnn CUDA kernel, i.e. the exact parameter lists
// the Java bindings (jcnn.backend.cuda) launch. The emulation build force-includes this header
// before each .cu, so a kernel whose definition drifts from its prototype here fails to compile
// ("conflicting declaration of C function") instead of silently taking the wrong arguments.
// sgemm_v4_tf32_wmma is GPU-only and not listed (it shares the GEMM signature).
#pragma once

extern "C" {
// gemm.cu
#define JCNN_GEMM_PARAMS                                                                         \
  int M, int N, int K, float alpha, const float *A, int lda, int ta, const float *B, int ldb,   \
      int tb, float beta, float *C, int ldc
void sgemm_v1_naive(JCNN_GEMM_PARAMS);
void sgemm_v2_smem(JCNN_GEMM_PARAMS);
void sgemm_v3_regblock(JCNN_GEMM_PARAMS);
void sgemm_v5_splitk(int M, int N, int K, int kChunk, const float *A, int lda, int ta,
                     const float *B, int ldb, int tb, float *W);
void sgemm_v5_splitk_reduce(int M, int N, int splits, float alpha, const float *W, float beta,
                            float *C, int ldc);

// elementwise.cu
void fill_v1(float *x, int n, float v);
void binary_v1_broadcast(int op, int n, const float *a, const float *b, float *out, int d1, int d2,
                         int d3, int sa0, int sa1, int sa2, int sa3, int sb0, int sb1, int sb2,
                         int sb3);
void unary_v1(int op, int n, const float *x, float *out);
void unary_backward_v1(int op, int n, const float *x, const float *y, const float *gy, float *gx);
void axpby_v1(int n, float alpha, const float *x, float beta, float *y);
void sum_to_v1(const float *x, float *out, int outN, int x0, int x1, int x2, int x3, int o0, int o1,
               int o2, int o3);

// conv.cu
#define JCNN_IM2COL_PARAMS                                                                   \
  int N, int C, int H, int W, int c0, int Cg, int R, int S, int P, int Q, int strideH,      \
      int strideW, int padH, int padW
void im2col_v1(const float *x, float *col, JCNN_IM2COL_PARAMS);
void col2im_v1(const float *col, float *gx, JCNN_IM2COL_PARAMS);
void nkpq_from_knpq_v1(const float *src, const float *bias, float *y, int N, int K, int k0, int Kg,
                       int PQ);
void knpq_from_nkpq_v1(const float *gy, float *dst, int N, int K, int k0, int Kg, int PQ);

// pool.cu
void maxpool_fwd_v1(const float *x, float *y, int *argmax, int NC, int H, int W, int P, int Q,
                    int kH, int kW, int sH, int sW, int pH, int pW);
void maxpool_bwd_v1(const float *gy, const int *argmax, float *gx, int NC, int H, int W, int P,
                    int Q);
void avgpool_fwd_v1(const float *x, float *y, int NC, int H, int W, int P, int Q, int kH, int kW,
                    int sH, int sW, int pH, int pW);
void avgpool_bwd_v1(const float *gy, float *gx, int NC, int H, int W, int P, int Q, int kH, int kW,
                    int sH, int sW, int pH, int pW);

// norm.cu
void bn_stats_v1(const float *x, float *mean, float *invStd, float *runMean, float *runVar, int N,
                 int C, int HW, float momentum, float eps, int training);
void bn_apply_v1(const float *x, const float *mean, const float *invStd, const float *gamma,
                 const float *beta, float *y, int N, int C, int HW);
void bn_bwd_reduce_v1(const float *x, const float *gy, const float *mean, const float *invStd,
                      float *gGamma, float *gBeta, int N, int C, int HW);
void bn_bwd_data_v1(const float *x, const float *gy, const float *mean, const float *invStd,
                    const float *gamma, const float *gGamma, const float *gBeta, float *gx, int N,
                    int C, int HW, int training);

// loss.cu
void softmax_xent_fwd_v1(const float *logits, const int *labels, float *probs, float *rowLoss,
                         int N, int classes);
void softmax_xent_bwd_v1(const float *probs, const int *labels, float scale, float *g, int N,
                         int classes);

// index.cu
void gather_v1(const float *table, const int *idx, float *out, int n);
void scatter_add_v1(const float *src, const int *idx, float *table, int n);
void dropout_mask_v1(float *mask, int n, long long seed, float p, float scale);
void concat_copy_v1(const float *src, float *dst, int outer, int srcAxis, int dstAxis,
                    int axisOffset, int inner, int toDst);

// optim.cu
void sgd_step_v1(float *w, const float *g, float *v, int n, float lr, float momentum,
                 float weightDecay, int nesterov);
void adam_step_v1(float *w, const float *g, float *m, float *v, int n, float lr, float beta1,
                  float beta2, float eps, float weightDecay, float biasCorr1, float biasCorr2);
}
