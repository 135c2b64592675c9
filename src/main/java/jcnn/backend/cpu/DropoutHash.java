package jcnn.backend.cpu;

/**
 * The dropout mask as a pure function of (seed, element index), so every backend and every thread
 * count draws the same mask: element i is kept iff u_i >= p, where u_i is a uniform number in [0,
 * 1) made by hashing {@code seed + i * golden} with the SplitMix64 finaliser (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014). A counter-based hash needs
 * no generator state, so element i can be drawn by any thread in any order.
 *
 * <p>Tested in {@code ReferenceBackendTest} (mask fraction close to p, same seed same mask); the
 * fast CPU and CUDA backends are tested to reproduce the reference mask bit for bit.
 */
public final class DropoutHash {
  /** 2^64 / golden ratio, the SplitMix64 increment: consecutive counters land far apart. */
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private DropoutHash() {}

  /** The SplitMix64 finaliser: a bijection on 64-bit words whose output bits look independent. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The uniform number in [0, 1) for element {@code i}: the top 24 bits of the hash, exactly. */
  public static double uniform(long seed, long i) {
    return (mix64(seed + i * GOLDEN) >>> 40) * 0x1.0p-24;
  }

  /** Whether element {@code i} survives dropout with drop probability {@code p}. */
  public static boolean keep(long seed, long i, float p) {
    return uniform(seed, i) >= p;
  }

  /**
   * The value of a kept element, 1/(1-p), rounded once to float so all backends store the same
   * value. Undefined (infinite) for p = 1, where no element is kept.
   */
  public static float scale(float p) {
    return (float) (1.0 / (1.0 - p));
  }
}
