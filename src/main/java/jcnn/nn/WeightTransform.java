package jcnn.nn;

import jcnn.autograd.Variable;

/**
 * How a layer's parameter becomes the tensor its forward pass uses: the reparametrisation hook of
 * compression (STYLE rule 6). Pruning sets {@code p -> F.mul(p, maskVariable)} so that {@code
 * weight = orig * mask}; weight sharing sets {@code p -> gather(codebook, indices)}. Because the
 * transform is made of autograd ops, its gradient (masked, or aggregated per cluster) comes for
 * free. Installed with {@link Module#setTransform}; layers read parameters through {@link
 * Module#effective}.
 */
@FunctionalInterface
public interface WeightTransform {

  /** The variable the layer should use in place of {@code p}; must have p's shape. */
  Variable apply(Parameter p);
}
