package jcnn.nn;

import java.util.List;
import jcnn.autograd.Variable;

/**
 * How a layer's parameter becomes the tensor its forward pass uses: the reparametrisation hook of
 * compression (STYLE rule 6). Pruning sets {@code p -> F.mul(p, maskVariable)} so that {@code
 * weight = orig * mask}; weight sharing sets {@code p -> gather(codebook, indices)}. Because the
 * transform is made of autograd ops, its gradient (masked, or aggregated per cluster) comes for
 * free. Binarization and ternarization ({@code jcnn.compress.quant}) set {@code p -> binarize(p)}
 * and the like, whose straight-through gradient reaches the latent {@code p}. Installed with {@link
 * Module#setTransform}; layers read parameters through {@link Module#effective}.
 *
 * <p>Call order in training: {@code zeroGrad -> forward (apply) -> backward -> optimizer step over
 * Module#trainableParameters (which adds each transform's own parameters) -> Module#afterStep (each
 * transform's constraint on its latent parameter)}.
 */
@FunctionalInterface
public interface WeightTransform {

  /** The variable the layer should use in place of {@code p}; must have p's shape. */
  Variable apply(Parameter p);

  /**
   * Parameters the transform trains itself, beside the layer's (TTQ's two scales); they are not
   * module parameters, so an optimizer finds them through {@link Module#trainableParameters}. None
   * by default.
   */
  default List<Parameter> parameters() {
    return List.of();
  }

  /**
   * Called after each optimizer step with the latent parameter: the place of a constraint on it,
   * such as BinaryConnect's clip of the real-valued weights to [-1, 1]. Nothing by default.
   */
  default void afterStep(Parameter p) {}
}
