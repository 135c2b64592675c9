package jcnn.models;

/**
 * The width multiplier alpha of the compact networks (Howard et al. 2017, Sec. 3.2): every layer's
 * channel count c becomes alpha * c, which scales parameters and multiply-adds by about alpha^2.
 * Two roundings, as the reference implementations do it: {@link #truncate} (MobileNet V1,
 * SqueezeNet, SEP-Net: int(alpha * c)) and {@link #divisible} (MobileNet V2, torchvision's {@code
 * _make_divisible}: to the nearest multiple of 8, never below 8 nor more than 10% below alpha * c).
 * A width that leaves a layer without channels is an error naming {@code --width}.
 */
final class Width {
  private Width() {}

  /** Checks that alpha is a usable multiplier. */
  static void check(double alpha) {
    if (!(alpha > 0) || alpha > 4) {
      throw new IllegalArgumentException(
          "--width must be in (0, 4] (e.g. 0.25, 0.5, 0.75, 1.0), got " + alpha);
    }
  }

  /** int(alpha * c), at least 1 channel or an error naming the layer. */
  static int truncate(int c, double alpha, String what) {
    int v = (int) (alpha * c + 1e-9);
    if (v < 1) {
      throw new IllegalArgumentException(
          "--width " + alpha + " leaves " + what + " with 0 channels (of " + c + " at width 1)");
    }
    return v;
  }

  /** torchvision's _make_divisible(alpha * c, 8). */
  static int divisible(double v, int divisor) {
    int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    return n < 0.9 * v ? n + divisor : n;
  }

  /** truncate, then a check that {@code groups} divides the result. */
  static int grouped(int c, double alpha, int groups, String what) {
    int v = truncate(c, alpha, what);
    if (v % groups != 0) {
      throw new IllegalArgumentException(
          "--width "
              + alpha
              + " gives "
              + what
              + " "
              + v
              + " channels, not divisible by its "
              + groups
              + " groups");
    }
    return v;
  }
}
