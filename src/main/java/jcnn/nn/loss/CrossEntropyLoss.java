package jcnn.nn.loss;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;

/**
 * The classification loss: the batch mean of -log softmax(logits)[label], fused and numerically
 * stable (see {@code jcnn.autograd.ops.SoftmaxCrossEntropy}). Logits are [N, classes], labels [N]
 * in [0, classes). Tested in {@code CrossEntropyLossTest}.
 */
public final class CrossEntropyLoss {

  /** The mean loss, a one-element variable to call {@code backward()} on. */
  public Variable apply(Variable logits, IntTensor labels) {
    Shape s = logits.shape();
    if (s.rank() != 2 || !labels.shape().equals(Shape.of(s.dim(0)))) {
      throw new IllegalArgumentException(
          "CrossEntropyLoss: logits "
              + s
              + " and labels "
              + labels.shape()
              + " are not [N, classes] and [N]");
    }
    int classes = s.dim(1);
    for (int l : labels.dataForRead()) {
      if (l < 0 || l >= classes) {
        throw new IllegalArgumentException(
            "CrossEntropyLoss: label " + l + " out of range for " + classes + " classes");
      }
    }
    return F.softmaxCrossEntropy(logits, labels);
  }
}
