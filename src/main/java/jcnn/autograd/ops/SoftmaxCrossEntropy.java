package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * Fused softmax cross-entropy, the mean over the batch of -log softmax(logits)[label]. Fusing the
 * two keeps it numerically stable (log-sum-exp with the row maximum subtracted) and makes the
 * gradient one subtraction.
 *
 * <p>Gradient: glogits = g / N * (softmax(logits) - onehot(labels)).
 */
public final class SoftmaxCrossEntropy extends Function {
  private IntTensor labels;
  private Tensor probs; // [N, classes]

  public static Variable apply(Variable logits, IntTensor labels) {
    SoftmaxCrossEntropy f = new SoftmaxCrossEntropy();
    f.labels = labels;
    f.probs = Tensor.zeros(logits.shape());
    double loss = f.backend.softmaxCrossEntropy(logits.value(), labels, f.probs);
    return f.record(Tensor.scalar((float) loss), logits);
  }

  @Override
  public String name() {
    return "softmaxCrossEntropy";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gl = Tensor.zeros(probs.shape());
    backend.softmaxCrossEntropyBackward(probs, labels, g.item() / probs.dim(0), gl);
    return new Tensor[] {gl};
  }
}
