package jcnn.backend;

import jcnn.tensor.Shape;

/**
 * The geometry of a 2-D convolution: stride, zero padding and groups. Input x is [N, C, H, W],
 * weight w is [K, C/groups, R, S], output y is [N, K, P, Q] with P = (H + 2*padH - R)/strideH + 1
 * and Q likewise. groups == C == K is a depthwise convolution.
 */
public record ConvSpec(int strideH, int strideW, int padH, int padW, int groups) {
  public ConvSpec {
    if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0 || groups < 1) {
      throw new IllegalArgumentException(
          "conv2d: bad spec stride="
              + strideH
              + "x"
              + strideW
              + " pad="
              + padH
              + "x"
              + padW
              + " groups="
              + groups);
    }
  }

  public static ConvSpec of(int stride, int pad, int groups) {
    return new ConvSpec(stride, stride, pad, pad, groups);
  }

  public static ConvSpec of(int stride, int pad) {
    return of(stride, pad, 1);
  }

  /** The output shape for input {@code x} and weight {@code w}; checks that they fit. */
  public Shape outputShape(Shape x, Shape w) {
    if (x.rank() != 4 || w.rank() != 4) {
      throw new IllegalArgumentException(
          "conv2d: input " + x + " and weight " + w + " must both be 4-D");
    }
    int c = x.dim(1);
    int k = w.dim(0);
    if (c % groups != 0 || k % groups != 0 || w.dim(1) != c / groups) {
      throw new IllegalArgumentException(
          "conv2d: input "
              + x
              + " and weight "
              + w
              + " do not fit groups="
              + groups
              + " (need C % groups == 0, K % groups == 0, weight dim 1 == C/groups)");
    }
    int p = (x.dim(2) + 2 * padH - w.dim(2)) / strideH + 1;
    int q = (x.dim(3) + 2 * padW - w.dim(3)) / strideW + 1;
    if (x.dim(2) + 2 * padH < w.dim(2) || x.dim(3) + 2 * padW < w.dim(3)) {
      throw new IllegalArgumentException(
          "conv2d: filter of weight " + w + " is larger than padded input " + x);
    }
    return Shape.of(x.dim(0), k, p, q);
  }
}
