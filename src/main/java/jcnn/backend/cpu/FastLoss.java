package jcnn.backend.cpu;

import jcnn.backend.Checks;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * Fused softmax cross-entropy over the rows of logits [N, classes], threads splitting the rows.
 * Each row subtracts its max before exp (no overflow) and its loss is computed as log(sum) - (x -
 * max) in double, so a probability that underflows to 0 in float still gives a finite loss. Tested
 * against the reference in CpuBackendParityTest.
 */
final class FastLoss {
  /** Logits per task: exp costs tens of cycles, so rows are worth splitting early. */
  private static final int GRAIN = 1 << 12;

  private FastLoss() {}

  static double softmaxCrossEntropy(Parallel par, Tensor logits, IntTensor labels, Tensor probs) {
    Checks.labels("softmaxCrossEntropy", logits, labels);
    Checks.shape("softmaxCrossEntropy", "probs", probs, logits.shape());
    int n = logits.dim(0);
    int k = logits.dim(1);
    if (n == 0 || k == 0) {
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: logits " + logits.shape() + " are empty");
    }
    float[] x = logits.data();
    float[] pr = probs.data();
    int[] lab = labels.data();
    double[] rowLoss = new double[n];
    par.forRange(
        n,
        Math.max(1, GRAIN / Math.max(1, k)),
        (from, to) -> {
          for (int r = from; r < to; r++) {
            rowLoss[r] = softmaxRow(x, pr, r * k, k, lab[r]);
          }
        });
    double sum = 0;
    for (double l : rowLoss) {
      sum += l;
    }
    return sum / n;
  }

  /** Writes softmax of row x[off, off + k) into p and returns -log p[label]. */
  private static double softmaxRow(float[] x, float[] p, int off, int k, int label) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      max = Math.max(max, x[off + i]);
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      float e = (float) Math.exp(x[off + i] - max);
      p[off + i] = e;
      sum += e;
    }
    float inv = (float) (1.0 / sum);
    for (int i = 0; i < k; i++) {
      p[off + i] *= inv;
    }
    return Math.log(sum) - ((double) x[off + label] - max);
  }

  static void softmaxCrossEntropyBackward(
      Parallel par, Tensor probs, IntTensor labels, float scale, Tensor gLogits) {
    Checks.labels("softmaxCrossEntropyBackward", probs, labels);
    Checks.shape("softmaxCrossEntropyBackward", "gLogits", gLogits, probs.shape());
    int k = probs.dim(1);
    float[] p = probs.data();
    float[] g = gLogits.data();
    int[] lab = labels.data();
    par.forRange(
        probs.dim(0),
        Math.max(1, FastElementwise.CHEAP / Math.max(1, k)),
        (from, to) -> {
          for (int i = from * k; i < to * k; i++) {
            g[i] = scale * p[i];
          }
          for (int r = from; r < to; r++) {
            g[r * k + lab[r]] = scale * (p[r * k + lab[r]] - 1f);
          }
        });
  }
}
