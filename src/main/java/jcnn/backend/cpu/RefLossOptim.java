package jcnn.backend.cpu;

import jcnn.backend.Checks;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * Reference softmax cross-entropy and the SGD and Adam updates, the ops that end a training step.
 *
 * <p>Softmax cross-entropy is fused for stability: with z = logits row and M = max z, log sum exp z
 * = M + log sum exp(z - M), so no exp overflows (logits of 1000 are fine) and -log p[label] =
 * logsumexp - z[label] never takes the log of an underflowed 0.
 *
 * <p>The updates follow PyTorch's torch.optim.SGD (dampening 0) and torch.optim.Adam (Kingma and
 * Ba, "Adam", ICLR 2015, with L2 weight decay added to the gradient, not AdamW), all in double.
 * Tested by {@code ReferenceBackendTest} against hand-computed steps.
 */
final class RefLossOptim {
  private RefLossOptim() {}

  static double softmaxCrossEntropy(Tensor logits, IntTensor labels, Tensor probs) {
    String op = "softmaxCrossEntropy";
    Checks.labels(op, logits, labels);
    Checks.sameShape(op, logits, probs);
    int n = logits.dim(0);
    int classes = logits.dim(1);
    if (n == 0 || classes == 0) {
      throw new IllegalArgumentException(op + ": logits " + logits.shape() + " are empty");
    }
    float[] z = logits.data(); // [N, classes]
    double nll = 0;
    for (int i = 0; i < n; i++) {
      int row = i * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, z[row + j]);
      }
      double sumExp = 0;
      for (int j = 0; j < classes; j++) {
        sumExp += Math.exp(z[row + j] - max);
      }
      double logSumExp = max + Math.log(sumExp);
      for (int j = 0; j < classes; j++) {
        probs.data()[row + j] = (float) Math.exp(z[row + j] - logSumExp);
      }
      nll += logSumExp - z[row + labels.data()[i]];
    }
    return nll / n;
  }

  static void softmaxCrossEntropyBackward(
      Tensor probs, IntTensor labels, float scale, Tensor gLogits) {
    String op = "softmaxCrossEntropyBackward";
    Checks.labels(op, probs, labels);
    Checks.sameShape(op, probs, gLogits);
    int classes = probs.dim(1);
    for (int i = 0; i < probs.dim(0); i++) {
      for (int j = 0; j < classes; j++) {
        double onehot = j == labels.data()[i] ? 1 : 0;
        int at = i * classes + j;
        gLogits.data()[at] = (float) ((double) scale * (probs.data()[at] - onehot));
      }
    }
  }

  static void sgdStep(
      Tensor w,
      Tensor g,
      Tensor velocity,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    String op = "sgdStep";
    Checks.sameShape(op, w, g);
    RefChecks.range(op, "lr", lr, 0, Double.MAX_VALUE);
    RefChecks.range(op, "momentum", momentum, 0, Double.MAX_VALUE);
    RefChecks.range(op, "weightDecay", weightDecay, 0, Double.MAX_VALUE);
    if (momentum != 0) {
      RefChecks.shape(op, "velocity", velocity, w.shape(), "like w " + w.shape());
    } else if (nesterov) {
      throw new IllegalArgumentException(op + ": Nesterov needs momentum > 0, for w " + w.shape());
    }
    float[] wd = w.data();
    float[] gd = g.data();
    for (int i = 0; i < w.numel(); i++) {
      double grad = gd[i] + (double) weightDecay * wd[i]; // g' = g + weightDecay * w
      double step = grad;
      if (momentum != 0) {
        double v = (double) momentum * velocity.data()[i] + grad;
        velocity.data()[i] = (float) v;
        step = nesterov ? grad + momentum * v : v;
      }
      wd[i] = (float) (wd[i] - (double) lr * step);
    }
  }

  static void adamStep(
      Tensor w,
      Tensor g,
      Tensor m,
      Tensor v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      int step) {
    String op = "adamStep";
    Checks.sameShape(op, w, g);
    RefChecks.shape(op, "m", m, w.shape(), "like w " + w.shape());
    RefChecks.shape(op, "v", v, w.shape(), "like w " + w.shape());
    RefChecks.range(op, "lr", lr, 0, Double.MAX_VALUE);
    RefChecks.range(op, "beta1", beta1, 0, Math.nextDown(1.0));
    RefChecks.range(op, "beta2", beta2, 0, Math.nextDown(1.0));
    RefChecks.range(op, "eps", eps, 0, Double.MAX_VALUE);
    RefChecks.range(op, "weightDecay", weightDecay, 0, Double.MAX_VALUE);
    RefChecks.range(op, "step", step, 1, Integer.MAX_VALUE);
    // Bias corrections: m and v start at 0, so early averages are scaled up by 1 / (1 - beta^t).
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    float[] wd = w.data();
    float[] gd = g.data();
    for (int i = 0; i < w.numel(); i++) {
      double grad = gd[i] + (double) weightDecay * wd[i];
      double mi = beta1 * (double) m.data()[i] + (1 - (double) beta1) * grad;
      double vi = beta2 * (double) v.data()[i] + (1 - (double) beta2) * grad * grad;
      m.data()[i] = (float) mi;
      v.data()[i] = (float) vi;
      double mHat = mi / correction1;
      double vHat = vi / correction2;
      wd[i] = (float) (wd[i] - lr * mHat / (Math.sqrt(vHat) + eps));
    }
  }
}
