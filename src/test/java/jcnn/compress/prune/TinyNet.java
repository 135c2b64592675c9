package jcnn.compress.prune;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.Flatten;
import jcnn.nn.Linear;
import jcnn.nn.Module;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * The test network of the pruning tests: x [N, 1, 4, 4] -> conv 1->2 3x3 -> BN -> ReLU -> flatten
 * -> linear 8->3. Its parameters: 0.weight [2, 1, 3, 3], 0.bias, 1.gamma, 1.beta, 4.weight [3, 8],
 * 4.bias; the prunable ones by default are the two weights (18 + 24 = 42 values).
 */
final class TinyNet {
  static final String CONV = "0.weight";
  static final String FC = "4.weight";

  private TinyNet() {}

  static Sequential create(long seed) {
    return new Sequential(
        new Conv2d(1, 2, 3, 1, 0, seed),
        new BatchNorm2d(2),
        new ReLU(),
        new Flatten(),
        new Linear(8, 3, seed + 1));
  }

  static Variable input(long seed) {
    return Variable.constant(Tensor.uniform(seed, -1f, 1f, 4, 1, 4, 4)); // [N, C, H, W]
  }

  /** Cross-entropy of the net on a fixed batch of 4 with labels 0, 1, 2, 0. */
  static Variable loss(Module net, long seed) {
    Variable logits = net.forward(input(seed)); // [4, 3]
    return F.softmaxCrossEntropy(logits, IntTensor.of(new int[] {0, 1, 2, 0}, 4));
  }
}
