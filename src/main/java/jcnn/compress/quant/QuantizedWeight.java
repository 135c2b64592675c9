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
public sealed interface QuantizedWeight extends WeightTransform
    permits BinaryWeight, TernaryWeight, TtqWeight {

  /** The module that owns the weight. */
  Module owner();

  /** The parameter's name in its module, e.g. {@code weight}. */
  String name();

  WeightMode mode();

  /** The latent real-valued weight. */
  default Parameter latent() {
    return owner().parameter(name());
  }

  /**
   * The weight the layer computes with at inference: deterministic levels (a stochastic binary
   * weight gives its sign), a fresh tensor.
   */
  default Tensor materialize() {
    try (GradMode.Scope g = GradMode.noGrad()) {
      return inference(latent()).value().copy();
    }
  }

  /** The names of the buffers the transform keeps on its module (none, draws, or TTQ's scales). */
  default List<String> buffers() {
    return List.of();
  }

  /** The inference form of apply: no random draws. */
  Variable inference(Parameter p);
}
