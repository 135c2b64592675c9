package jcnn.bench;

import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/** The forward pass the inference benchmarks time: eval-mode module, no graph recorded. */
final class Inference {
  private Inference() {}

  static Tensor run(Module m, Variable x) {
    try (var g = GradMode.noGrad()) {
      return m.forward(x).value();
    }
  }
}
