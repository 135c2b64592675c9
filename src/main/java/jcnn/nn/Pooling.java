package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.backend.PoolSpec;
import jcnn.tensor.Shape;

/** Shape checks and printing shared by {@link MaxPool2d} and {@link AvgPool2d}. */
final class Pooling {
  private Pooling() {}

  /** Requires x to be [N, C, H, W] with H and W (padded) at least the window. */
  static void check(Module layer, PoolSpec spec, Variable x) {
    Shape s = x.shape();
    if (s.rank() != 4) {
      throw layer.shapeError("input " + s + " is not [N, C, H, W]");
    }
    if (s.dim(2) + 2 * spec.padH() < spec.kernelH()
        || s.dim(3) + 2 * spec.padW() < spec.kernelW()) {
      throw layer.shapeError(
          "input "
              + s
              + " is smaller than the "
              + spec.kernelH()
              + "x"
              + spec.kernelW()
              + " window even with padding "
              + spec.padH());
    }
  }

  static String repr(PoolSpec spec) {
    String r = spec.kernelH() + "x" + spec.kernelW() + ", stride " + spec.strideH();
    r = spec.padH() == 0 ? r : r + ", pad " + spec.padH();
    return spec.ceil() ? r + ", ceil" : r;
  }
}
