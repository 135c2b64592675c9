package jcnn.compress.quant;

import java.util.List;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.WeightTransform;
import jcnn.tensor.Tensor;

/**
 * A layer weight that the forward pass uses binarized or ternarized: the {@link WeightTransform}
 * installed by {@link Quantization}. The real-valued latent weight stays the module's parameter and
 * receives the straight-through gradient; {@link #materialize} gives the low-bit weight inference
 * and the compressed file use.
 */
public abstract sealed class QuantizedWeight implements WeightTransform
    permits BinaryWeight, TernaryWeight, TtqWeight {
  protected final Module owner;
  protected final String name;

  QuantizedWeight(Module owner, String name) {
    this.owner = owner;
    this.name = name;
  }

  /** The module that owns the weight. */
  public final Module owner() {
    return owner;
  }

  /** The parameter's name in its module, e.g. {@code weight}. */
  public final String name() {
    return name;
  }

  public abstract WeightMode mode();

  /** The latent real-valued weight. */
  public final Parameter latent() {
    return owner.parameter(name);
  }

  /**
   * The weight the layer computes with at inference: deterministic levels (a stochastic binary
   * weight gives its sign), a fresh tensor.
   */
  public final Tensor materialize() {
    try (GradMode.Scope g = GradMode.noGrad()) {
      return inference(latent()).value().copy();
    }
  }

  /** The names of the buffers the transform keeps on its module (none, draws, or TTQ's scales). */
  public List<String> buffers() {
    return List.of();
  }

  /** The inference form of apply: no random draws. */
  public abstract Variable inference(Parameter p);
}
