package jcnn.backend;

import jcnn.tensor.Shape;

/**
 * The geometry of a 2-D pooling window: kernel R x S, stride and padding. Padded positions are
 * never selected by max pooling and are not counted by average pooling (PyTorch's
 * count_include_pad=False).
 *
 * <p>{@code ceil} is PyTorch's {@code ceil_mode}: the output side rounds up, (H + 2 pad - k) /
 * stride rounded up, plus 1, so a last window that hangs over the edge is kept (clipped), unless it
 * would start in the right padding. torchvision's SqueezeNet pools this way (55 -> 27 -> 13 at
 * 224x224).
 */
public record PoolSpec(
    int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, boolean ceil) {
  public PoolSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    this(kernelH, kernelW, strideH, strideW, padH, padW, false);
  }

  public PoolSpec {
    if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
      throw new IllegalArgumentException("pool: bad spec " + this);
    }
  }

  public static PoolSpec of(int kernel, int stride) {
    return new PoolSpec(kernel, kernel, stride, stride, 0, 0);
  }

  public static PoolSpec of(int kernel, int stride, int pad) {
    return new PoolSpec(kernel, kernel, stride, stride, pad, pad);
  }

  public Shape outputShape(String op, Shape x) {
    if (x.rank() != 4) {
      throw new IllegalArgumentException(op + ": input " + x + " must be 4-D [N, C, H, W]");
    }
    if (x.dim(2) + 2 * padH < kernelH || x.dim(3) + 2 * padW < kernelW) {
      throw new IllegalArgumentException(
          op + ": window " + kernelH + "x" + kernelW + " is larger than padded input " + x);
    }
    return Shape.of(
        x.dim(0),
        x.dim(1),
        side(x.dim(2), kernelH, strideH, padH),
        side(x.dim(3), kernelW, strideW, padW));
  }

  private int side(int in, int k, int stride, int pad) {
    int span = in + 2 * pad - k;
    if (!ceil) {
      return span / stride + 1;
    }
    int out = (span + stride - 1) / stride + 1;
    return (out - 1) * stride >= in + pad ? out - 1 : out; // PyTorch's rule
  }
}
