package jcnn.nn;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;

/**
 * Inverted dropout (Srivastava et al. 2014): in training each value is zeroed with probability p
 * and the rest scaled by 1/(1-p); in eval the identity. Each call draws a fresh mask from the seed
 * mixed with a per-module call counter, so a run is reproducible yet no two steps share a mask.
 * {@link #setCalls} rewinds the counter (resuming a checkpoint, or replaying one mask in a gradient
 * check). Tested in {@code LayerGradTest} and {@code LayersTest}.
 */
public class Dropout extends Module {
  private final float p;
  private final long seed;
  private long calls;

  public Dropout(float p, long seed) {
    if (!(p >= 0f && p < 1f)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
    }
    this.p = p;
    this.seed = seed;
  }

  /** How many training-mode forward calls have drawn a mask so far. */
  public long calls() {
    return calls;
  }

  /** Sets the call counter: the next training call uses the mask of call number {@code n}. */
  public void setCalls(long n) {
    this.calls = n;
  }

  @Override
  public Variable forward(Variable x) {
    if (!isTraining() || p == 0f) {
      return x;
    }
    return F.dropout(x, p, maskSeed(seed, calls++), true);
  }

  /** SplitMix64's finaliser over seed + golden-ratio steps: well spread seeds for nearby calls. */
  static long maskSeed(long seed, long call) {
    long z = seed + (call + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  protected String extraRepr() {
    return "p " + p;
  }
}
