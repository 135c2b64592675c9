package jcnn.backend.cpu;

import jcnn.backend.Checks;
import jcnn.tensor.Tensor;

/**
 * In-place optimizer steps (PyTorch semantics, see {@link jcnn.backend.Backend#sgdStep} and {@link
 * jcnn.backend.Backend#adamStep}), one fused pass over the parameter with threads splitting the
 * elements. The branches on momentum and Nesterov are taken once per chunk, outside the loops.
 * Tested against the reference in CpuBackendParityTest.
 */
final class FastOptim {
  private FastOptim() {}

  static void sgdStep(
      Parallel par,
      Tensor w,
      Tensor g,
      Tensor velocity,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    Checks.sgdStep(w, g, velocity, lr, momentum, weightDecay, nesterov);
    float[] wd = w.data();
    float[] gd = g.data();
    float[] vd = momentum != 0 ? velocity.data() : null;
    par.forRange(
        w.numel(),
        FastElementwise.CHEAP,
        (from, to) -> {
          if (vd == null) {
            for (int i = from; i < to; i++) wd[i] -= lr * (gd[i] + weightDecay * wd[i]);
          } else if (nesterov) {
            for (int i = from; i < to; i++) {
              float gi = gd[i] + weightDecay * wd[i];
              vd[i] = momentum * vd[i] + gi;
              wd[i] -= lr * (gi + momentum * vd[i]);
            }
          } else {
            for (int i = from; i < to; i++) {
              vd[i] = momentum * vd[i] + gd[i] + weightDecay * wd[i];
              wd[i] -= lr * vd[i];
            }
          }
        });
  }

  static void adamStep(
      Parallel par,
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
    Checks.adamStep(w, g, m, v, lr, beta1, beta2, eps, weightDecay, step);
    float c1 = (float) (1 / (1 - Math.pow(beta1, step)));
    float c2 = (float) (1 / (1 - Math.pow(beta2, step)));
    float[] wd = w.data();
    float[] gd = g.data();
    float[] md = m.data();
    float[] vd = v.data();
    par.forRange(
        w.numel(),
        FastElementwise.CHEAP,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float gi = gd[i] + weightDecay * wd[i];
            md[i] = beta1 * md[i] + (1 - beta1) * gi;
            vd[i] = beta2 * vd[i] + (1 - beta2) * gi * gi;
            wd[i] -= lr * (md[i] * c1) / ((float) Math.sqrt(vd[i] * c2) + eps);
          }
        });
  }
}
