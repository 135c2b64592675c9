package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * The resolution multiplier rho of MobileNet (Howard et al. 2017, Sec. 3.3) as a network's first
 * layer: it resizes each input image to round(rho * H) x round(rho * W) (antialiased bilinear, see
 * {@link jcnn.autograd.ops.Resize}), so the network computes at the reduced resolution and
 * multiply-adds fall by about rho^2. Being a layer, the resize travels with the model file: every
 * command that runs the model (eval, compress) feeds it the dataset's own images. No parameters.
 */
public class Resize extends Module {
  private final double rho;

  public Resize(double rho) {
    this.rho = check(rho);
  }

  /** rho, if it is a usable multiplier: in (0, 1]; else an error naming --resolution. */
  public static double check(double rho) {
    if (!(rho > 0) || rho > 1) {
      throw new IllegalArgumentException(
          "--resolution must be in (0, 1] (e.g. 0.5, 0.75), got " + rho);
    }
    return rho;
  }

  /** The side rho * s rounds to (at least 1). */
  public static int scaled(int s, double rho) {
    return Math.max(1, (int) Math.round(rho * s));
  }

  public double rho() {
    return rho;
  }

  @Override
  public Variable forward(Variable x) {
    if (x.shape().rank() != 4) {
      throw shapeError("input " + x.shape() + " is not [N, C, H, W]");
    }
    return F.resize(x, scaled(x.shape().dim(2), rho), scaled(x.shape().dim(3), rho));
  }

  @Override
  protected String extraRepr() {
    return "rho " + rho;
  }
}
