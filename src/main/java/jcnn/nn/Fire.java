package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * SqueezeNet's Fire module (Iandola et al. 2016, Sec. 3.2): a 1x1 "squeeze" convolution to s
 * channels, then two "expand" convolutions side by side on its output, e1 filters of 1x1 and e3 of
 * 3x3 (padding 1), concatenated along the channels: [N, C, H, W] -> [N, e1 + e3, H, W]. Every
 * convolution has a bias and is followed by ReLU (and by batch norm first when {@code batchNorm},
 * as our CIFAR-10 variant has it; the original has none). Squeezing to s < e1 + e3 channels is what
 * makes it cheap: the 3x3 filters see s inputs, not C. Children: {@code squeeze}, {@code
 * expand1x1}, {@code expand3x3}, each a Sequential (conv[, BN], ReLU). The simple bypass of the
 * paper's Fig. 2 is a {@link Residual} around a Fire whose input and output widths match.
 * Gradient-checked in {@code CompactLayersTest}.
 */
public class Fire extends Module {
  private final String settings;

  /** in -> squeeze s -> (e1 1x1 | e3 3x3) concatenated; seed drives the three weights. */
  public Fire(int in, int s, int e1, int e3, boolean batchNorm, long seed) {
    if (in < 1 || s < 1 || e1 < 1 || e3 < 1) {
      throw new IllegalArgumentException(
          "Fire: channels must be positive, got in "
              + in
              + ", squeeze "
              + s
              + ", expand "
              + e1
              + " + "
              + e3);
    }
    registerModule("squeeze", convAct(in, s, 1, batchNorm, seed));
    registerModule("expand1x1", convAct(s, e1, 1, batchNorm, seed + 1));
    registerModule("expand3x3", convAct(s, e3, 3, batchNorm, seed + 2));
    this.settings = in + " -> squeeze " + s + " -> expand " + e1 + " (1x1) + " + e3 + " (3x3)";
  }

  private static Sequential convAct(int in, int out, int kernel, boolean bn, long seed) {
    Sequential s = new Sequential(new Conv2d(in, out, kernel, 1, kernel / 2, 1, true, seed));
    if (bn) {
      s.add(new BatchNorm2d(out));
    }
    return s.add(new ReLU());
  }

  @Override
  public Variable forward(Variable x) {
    Variable s = child("squeeze").forward(x); // [N, s, H, W]
    return F.concat(
        1, child("expand1x1").forward(s), child("expand3x3").forward(s)); // [N, e1 + e3, H, W]
  }

  @Override
  protected String extraRepr() {
    return settings;
  }
}
