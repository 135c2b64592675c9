package jcnn.compress.prune;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.WeightTransform;
import jcnn.tensor.Tensor;

/**
 * The pruning reparametrisation {@code weight = orig * mask} (STYLE rule 6, after PyTorch's {@code
 * torch.nn.utils.prune}). The mask is read from the owner's buffer at every forward rather than
 * captured once, so a {@code loadStateDict} or {@link Module#setBuffer} that replaces the mask is
 * seen at once. Because the product is an autograd op, the gradient reaching {@code orig} is the
 * gradient of the effective weight times the mask: pruned entries get exactly zero. Installed and
 * removed only by {@link Pruning}; tested in {@code PruningTest}.
 */
final class MaskTransform implements WeightTransform {
  private final Module owner;
  private final String maskName;

  MaskTransform(Module owner, String maskName) {
    this.owner = owner;
    this.maskName = maskName;
  }

  @Override
  public Variable apply(Parameter p) {
    Tensor mask = owner.buffer(maskName); // same shape as p
    if (mask == null) {
      throw new IllegalStateException(
          owner.describe()
              + ": pruning mask buffer '"
              + maskName
              + "' is gone while its transform is installed; use Pruning.bake or Pruning.restore");
    }
    return F.mul(p, Variable.constant(mask));
  }
}
