package jcnn.compress.exec;

/**
 * XNOR-Net's binary dot product (Rastegari et al. 2016): with activations and weights in {-1, +1}
 * packed 64 to a {@code long} (bit set = +1), a_i w_i = +1 where the bits agree, so a . w = n - 2
 * popcount(a XOR w) over n values, exactly, in integers; the layer output is s_k times that. Unused
 * tail bits are zero in both operands, so they never count. In a padded conv a tap that falls
 * outside the image contributes 0 (the zero padding of the dense layer), and is skipped.
 *
 * <p>Work: one XOR, one popcount ({@code Long.bitCount}, the POPCNT instruction) and one add per 64
 * multiply-adds, against 64 FMAs (4 AVX-512 instructions) in float. Tested in {@code
 * CompressedExecTest} (bit-exact against the dense product of the decoded +-1 values).
 */
final class Xnor {
  private Xnor() {}

  /** Whether every value of x[off, off + n) is exactly +1 or -1 (the output of a sign). */
  static boolean allSigns(float[] x, int off, int n) {
    for (int i = off, end = off + n; i < end; i++) {
      float v = x[i];
      if (v != 1f && v != -1f) {
        return false;
      }
    }
    return true;
  }

  /** Packs rows x [n, len] (each +-1) into out [n, words] (bit c of row i set where +1). */
  static long[] packRows(float[] x, int n, int len, int words) {
    long[] out = new long[n * words];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < len; c++) {
        if (x[i * len + c] > 0) {
          out[i * words + c / 64] |= 1L << (c % 64);
        }
      }
    }
    return out;
  }

  /**
   * Packs one image x [C, H W] (each +-1) pixel-major into out [H W, words]: channels per pixel.
   */
  static long[] packPixels(float[] x, int xOff, int c, int hw, int words) {
    long[] out = new long[hw * words];
    for (int ch = 0; ch < c; ch++) {
      int plane = xOff + ch * hw;
      long bit = 1L << (ch % 64);
      int word = ch / 64;
      for (int p = 0; p < hw; p++) {
        if (x[plane + p] > 0) {
          out[p * words + word] |= bit;
        }
      }
    }
    return out;
  }

  /** y[i, k] = s_k (C - 2 popcount(a_i XOR w_k)) for rows k in [k0, k1) of a linear layer. */
  static void linear(BitRows w, long[] a, int n, float[] y, int k0, int k1) {
    int words = w.wordsPerRow();
    int len = w.cols();
    long[] wp = w.positive();
    int kk = w.rows();
    for (int i = 0; i < n; i++) {
      int a0 = i * words;
      for (int k = k0; k < k1; k++) {
        int w0 = k * words;
        int diff = 0;
        for (int t = 0; t < words; t++) {
          diff += Long.bitCount(a[a0 + t] ^ wp[w0 + t]);
        }
        y[i * kk + k] = w.scale(k) * (len - 2 * diff);
      }
    }
  }

  /**
   * One image of an ungrouped conv: y[k, p, q] = s_k Σ over in-image taps (r, s) of (C - 2
   * popcount(a[h, w] XOR w_k[r, s])), for k in [k0, k1); a from {@link #packPixels}, y at yOff.
   *
   * <p>Per output pixel the R S taps' words are copied into one contiguous patch (zero for a tap
   * outside the image), so the inner loop is R S ceil(C / 64) XOR-POPCNT-adds over two contiguous
   * arrays. A zero tap adds popcount(w_k[r, s]) instead of nothing, which is subtracted back from
   * the per-tap weight popcounts (border pixels only).
   */
  static void conv(
      BitRows w, long[] a, int h, int wd, Im2col.Conv g, float[] y, int yOff, int k0, int k1) {
    int p = g.outH(h);
    int q = g.outW(wd);
    int words = w.blockWords();
    int c = w.blockLen();
    int taps = g.r() * g.r();
    long[] wp = w.positive();
    int rowWords = w.wordsPerRow();
    int[] tapPop = tapPopcounts(w, k0, k1); // [(k - k0) * taps + t]
    long[] patch = new long[rowWords];
    int[] outside = new int[taps];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < q; j++) {
        int nOut = gather(a, h, wd, g, words, i, j, patch, outside);
        int valid = taps - nOut;
        for (int k = k0; k < k1; k++) {
          int wk = k * rowWords;
          int diff = 0;
          for (int u = 0; u < rowWords; u++) {
            diff += Long.bitCount(patch[u] ^ wp[wk + u]);
          }
          for (int t = 0; t < nOut; t++) {
            diff -= tapPop[(k - k0) * taps + outside[t]];
          }
          y[yOff + (k * p + i) * q + j] = w.scale(k) * (valid * c - 2 * diff);
        }
      }
    }
  }

  /** Copies the taps of output pixel (i, j) into patch; returns how many fall outside. */
  private static int gather(
      long[] a, int h, int wd, Im2col.Conv g, int words, int i, int j, long[] patch, int[] out) {
    int nOut = 0;
    for (int r = 0; r < g.r(); r++) {
      int hi = i * g.stride() - g.pad() + r;
      for (int s = 0; s < g.r(); s++) {
        int wj = j * g.stride() - g.pad() + s;
        int t = r * g.r() + s;
        if (hi < 0 || hi >= h || wj < 0 || wj >= wd) {
          java.util.Arrays.fill(patch, t * words, (t + 1) * words, 0L);
          out[nOut++] = t;
        } else {
          System.arraycopy(a, (hi * wd + wj) * words, patch, t * words, words);
        }
      }
    }
    return nOut;
  }

  /** popcount of each tap's words of rows [k0, k1). */
  private static int[] tapPopcounts(BitRows w, int k0, int k1) {
    int taps = w.blocks();
    int words = w.blockWords();
    int[] pop = new int[(k1 - k0) * taps];
    for (int k = k0; k < k1; k++) {
      for (int t = 0; t < taps; t++) {
        int base = k * w.wordsPerRow() + t * words;
        for (int u = 0; u < words; u++) {
          pop[(k - k0) * taps + t] += Long.bitCount(w.positive()[base + u]);
        }
      }
    }
    return pop;
  }
}
