package jcnn.compress.quant;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.nn.Module;
import jcnn.nn.Parameter;

/**
 * A TWN weight (Li, Zhang and Liu 2016): {@code weight = alpha * t(latent)} with t in {-1, 0, +1}
 * at threshold 0.7 mean|w| and one scale per layer ({@link jcnn.autograd.ops.Ternarize}). The
 * latent weights are not clipped: their threshold and scale follow them.
 */
public final class TernaryWeight extends QuantizedWeight {

  TernaryWeight(Module owner, String name) {
    super(owner, name);
  }

  @Override
  public Variable apply(Parameter p) {
    return F.ternarize(p);
  }

  @Override
  public Variable inference(Parameter p) {
    return F.ternarize(p);
  }

  @Override
  public WeightMode mode() {
    return WeightMode.TERNARY;
  }
}
