package jcnn.backend;

import jcnn.tensor.Shape;

/**
 * The geometry of a 2-D pooling window: kernel R x S, stride and padding. Padded positions are
 * never selected by max pooling and are not counted by average pooling (PyTorch's
 * count_include_pad=False).
 */
public record PoolSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
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
    int p = (x.dim(2) + 2 * padH - kernelH) / strideH + 1;
    int q = (x.dim(3) + 2 * padW - kernelW) / strideW + 1;
    return Shape.of(x.dim(0), x.dim(1), p, q);
  }
}
