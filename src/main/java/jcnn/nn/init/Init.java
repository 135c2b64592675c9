package jcnn.nn.init;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Weight initialisers, filling a tensor in place from a seed so model creation is reproducible.
 *
 * <ul>
 *   <li>He / Kaiming (He et al. 2015, "Delving Deep into Rectifiers"): variance 2 / fanIn keeps the
 *       activation variance constant through ReLU layers. Normal: std = sqrt(2 / fanIn); uniform:
 *       bound = sqrt(6 / fanIn). jcnn's conv and linear layers default to {@link #heNormal} with
 *       fan-in.
 *   <li>Xavier / Glorot (Glorot and Bengio 2010): variance 2 / (fanIn + fanOut), for tanh or linear
 *       layers. Normal: std = sqrt(2 / (fanIn + fanOut)); uniform: bound = sqrt(6 / (fanIn +
 *       fanOut)).
 * </ul>
 *
 * <p>Fans follow PyTorch: a linear weight [out, in] has fanIn = in and fanOut = out; a conv weight
 * [K, C/groups, R, S] has fanIn = C/groups * R * S and fanOut = K * R * S. Tested by {@code
 * InitTest} (sample moments and bounds, determinism, fans).
 */
public final class Init {
  private Init() {}

  /** fanIn of a weight shape [out, in] or [K, C/groups, R, S]. */
  public static int fanIn(Shape w) {
    checkWeightShape(w);
    return w.sizeFrom(1);
  }

  /** fanOut of a weight shape [out, in] or [K, C/groups, R, S]. */
  public static int fanOut(Shape w) {
    checkWeightShape(w);
    return w.dim(0) * w.sizeFrom(2);
  }

  private static void checkWeightShape(Shape w) {
    if (w.rank() != 2 && w.rank() != 4) {
      throw new IllegalArgumentException(
          "Init: weight " + w + " must be [out, in] or [K, C, R, S] to have fans");
    }
  }

  /** Normal with std sqrt(2 / fanIn). */
  public static Tensor heNormal(Tensor w, int fanIn, long seed) {
    return normal(w, Math.sqrt(2.0 / positive("heNormal", fanIn)), seed);
  }

  /** Uniform in [-b, b) with b = sqrt(6 / fanIn). */
  public static Tensor heUniform(Tensor w, int fanIn, long seed) {
    return uniform(w, Math.sqrt(6.0 / positive("heUniform", fanIn)), seed);
  }

  /**
   * Uniform in [-b, b) with b = 1 / sqrt(fanIn): PyTorch's default for Linear and Conv2d weights
   * (kaiming_uniform with a = sqrt(5)) and biases. Its variance, 1 / (3 fanIn), is a sixth of He's,
   * which lets plain networks such as LeNet-5 take a larger learning rate at the start.
   */
  public static Tensor torchDefault(Tensor w, int fanIn, long seed) {
    return uniform(w, 1.0 / Math.sqrt(positive("torchDefault", fanIn)), seed);
  }

  /** Normal with std sqrt(2 / (fanIn + fanOut)). */
  public static Tensor xavierNormal(Tensor w, int fanIn, int fanOut, long seed) {
    return normal(w, Math.sqrt(2.0 / positive("xavierNormal", fanIn + fanOut)), seed);
  }

  /** Uniform in [-b, b) with b = sqrt(6 / (fanIn + fanOut)). */
  public static Tensor xavierUniform(Tensor w, int fanIn, int fanOut, long seed) {
    return uniform(w, Math.sqrt(6.0 / positive("xavierUniform", fanIn + fanOut)), seed);
  }

  public static Tensor zeros(Tensor w) {
    return w.fill(0f);
  }

  public static Tensor ones(Tensor w) {
    return w.fill(1f);
  }

  private static int positive(String init, int fan) {
    if (fan <= 0) {
      throw new IllegalArgumentException("Init." + init + ": fan must be positive, got " + fan);
    }
    return fan;
  }

  private static Tensor normal(Tensor w, double std, long seed) {
    return w.copyFrom(Tensor.randn(seed, (float) std, w.shape().dims()));
  }

  private static Tensor uniform(Tensor w, double bound, long seed) {
    return w.copyFrom(Tensor.uniform(seed, (float) -bound, (float) bound, w.shape().dims()));
  }
}
