package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.UnaryOp;

/**
 * SEP-Net's Pattern Residual Block (Li et al. 2017, Sec. 4): a 3x3 convolution (the "pattern"
 * filters, the ones pattern binarization turns to binary) and a 1x1 convolution (the "transform")
 * run side by side on the same input and their outputs are summed, then batch norm and ReLU. Both
 * are group-wise with N groups (N = 4 in the paper): each filter sees C/N input channels, which
 * divides their parameters by N. [N, C, H, W] -> [N, C, H, W]. No bias (batch norm's beta is one).
 * Children: {@code pattern}, {@code transform}, {@code bn}, {@code act}. Gradient-checked in {@code
 * CompactLayersTest}.
 */
public class PatternResidualBlock extends Module {
  private final BatchNorm2d bn;
  private final String settings;

  public PatternResidualBlock(int channels, int groups, long seed) {
    if (channels < 1 || groups < 1 || channels % groups != 0) {
      throw new IllegalArgumentException(
          "PatternResidualBlock: "
              + channels
              + " channels cannot be split into "
              + groups
              + " groups (need a positive multiple)");
    }
    registerModule("pattern", new Conv2d(channels, channels, 3, 1, 1, groups, false, seed));
    registerModule("transform", new Conv2d(channels, channels, 1, 1, 0, groups, false, seed + 1));
    this.bn = registerModule("bn", new BatchNorm2d(channels));
    registerModule("act", new ReLU()); // named as before; it runs inside bn's op (forward)
    this.settings = channels + " channels, " + groups + " groups";
  }

  @Override
  public Variable forward(Variable x) {
    Variable y = F.add(child("pattern").forward(x), child("transform").forward(x)); // [N, C, H, W]
    return bn.forward(y, UnaryOp.RELU); // act(bn(y)) as one op, as in a Sequential
  }

  @Override
  protected String extraRepr() {
    return settings;
  }
}
