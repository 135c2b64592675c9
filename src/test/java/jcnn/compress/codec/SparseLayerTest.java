package jcnn.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SparseLayer}: exact round trips over sparsity 0% to 100% and k = 1 to 256 in every
 * encoding, filler zeros for long gaps, the automatic choice being the smallest, the bit breakdown
 * adding up, and damaged payloads throwing.
 */
class SparseLayerTest {
  private static final double[] SPARSITY = {0, 0.5, 0.95, 0.999, 1.0};
  private static final int[] CLUSTERS = {1, 2, 32, 256};

  @Test
  void everyEncodingRoundTripsAndTheChoiceIsTheSmallest() throws Exception {
    Random rnd = new Random(11);
    for (double sparsity : SPARSITY) {
      for (int k : CLUSTERS) {
        int[] codes = randomCodes(20_000, sparsity, k, rnd);
        float[] codebook = codebook(k, rnd);
        String label = "sparsity " + sparsity + ", k " + k;
        SparseLayer.Encoded auto = SparseLayer.encode(codes, codebook);
        assertRoundTrip(codes, codebook, auto, label + " auto");
        int smallest = Integer.MAX_VALUE;
        for (SparseLayer.Encoded e : allForms(codes, codebook)) {
          assertRoundTrip(codes, codebook, e, label + " " + e.encoding() + " " + e.gapBits());
          smallest = Math.min(smallest, e.payload().length);
        }
        assertEquals(smallest, auto.payload().length, label + ": auto is not the smallest");
      }
    }
  }

  @Test
  void theChoiceFollowsTheData() {
    Random rnd = new Random(12);
    float[] cb = codebook(32, rnd);
    assertEquals(Encoding.DENSE, choice(randomCodes(20_000, 0, 32, rnd), cb));
    assertEquals(Encoding.SPARSE, choice(randomCodes(20_000, 0.95, 32, rnd), cb));
    assertEquals(Encoding.FIXED, choice(randomCodes(12, 0.5, 32, rnd), cb), "tiny: no tables");
    SparseLayer.Encoded e = SparseLayer.encode(randomCodes(400_000, 0.95, 32, rnd), cb);
    System.out.printf(
        "SparseLayer 400k weights, 95%% pruned, k 32: %s gapBits %d, %d bytes (ids %d, gaps %d,"
            + " codebook %d, tables %d bits)%n",
        e.encoding(),
        e.gapBits(),
        e.payload().length,
        e.codeBits(),
        e.indexBits(),
        e.codebookBits(),
        e.tableBits());
  }

  @Test
  void longGapsInsertFillerZeros() throws Exception {
    int n = 5000;
    int[] codes = new int[n];
    Arrays.fill(codes, SparseLayer.PRUNED);
    codes[0] = 3;
    codes[1000] = 1; // gap 1000 = 31 fillers of 32 + 8
    codes[4999] = 0; // gap 3999 = 124 fillers + 31
    float[] cb = {0.5f, -0.25f, 1.5f, -3f};
    SparseLayer.Encoded e = SparseLayer.encode(codes, cb, Encoding.SPARSE, 5);
    assertEquals(3 + 31 + 124, e.entries());
    assertRoundTrip(codes, cb, e, "fillers");
    // Gaps of exactly 2^gapBits need no filler, one more needs one.
    int[] edge = new int[70];
    Arrays.fill(edge, SparseLayer.PRUNED);
    edge[31] = 0; // gap 32 from position -1
    edge[64] = 1; // gap 33
    SparseLayer.Encoded f = SparseLayer.encode(edge, cb, Encoding.SPARSE, 5);
    assertEquals(3, f.entries());
    assertRoundTrip(edge, cb, f, "edge gaps");
  }

  @Test
  void bitBreakdownAddsUpAndCodebookIsBitExact() throws Exception {
    Random rnd = new Random(13);
    int[] codes = randomCodes(5000, 0.9, 4, rnd);
    float[] cb = {-0.0f, Float.intBitsToFloat(0x7FC0_0001), Float.MIN_VALUE, -1e30f};
    for (SparseLayer.Encoded e : allForms(codes, cb)) {
      long parts = e.codeBits() + e.indexBits() + e.codebookBits() + e.tableBits();
      long bits = 8L * e.payload().length;
      assertTrue(parts <= bits && bits < parts + 8, e.encoding() + ": " + parts + " vs " + bits);
      SparseLayer.Decoded d = decode(e, codes.length);
      for (int i = 0; i < cb.length; i++) {
        assertEquals(Float.floatToRawIntBits(cb[i]), Float.floatToRawIntBits(d.codebook()[i]));
      }
    }
  }

  @Test
  void damagedPayloadsThrow() throws Exception {
    Random rnd = new Random(14);
    int[] codes = randomCodes(3000, 0.9, 8, rnd);
    float[] cb = codebook(8, rnd);
    SparseLayer.Encoded s = SparseLayer.encode(codes, cb, Encoding.SPARSE, 4);
    byte[] p = s.payload();
    assertThrows(
        CorruptStreamException.class,
        () ->
            SparseLayer.decode(Encoding.SPARSE, 4, 8, s.entries(), 100, reader(p), "n too small"));
    assertThrows(
        CorruptStreamException.class,
        () -> SparseLayer.decode(Encoding.SPARSE, 4, 8, s.entries() + 500, 3000, reader(p), "e"));
    assertThrows(
        CorruptStreamException.class,
        () -> SparseLayer.decode(Encoding.SPARSE, 4, 60_000, s.entries(), 3000, reader(p), "k"));
    byte[] cut = Arrays.copyOf(p, p.length - 3);
    assertThrows(
        CorruptStreamException.class,
        () -> SparseLayer.decode(Encoding.SPARSE, 4, 8, s.entries(), 3000, reader(cut), "cut"));
    SparseLayer.Encoded f = SparseLayer.encode(codes, cb, Encoding.FIXED, 0);
    byte[] bad = f.payload().clone();
    bad[8 * 4] = (byte) 0xFF; // first id field reads 0b1111 = 15 > k = 8
    assertThrows(CorruptStreamException.class, () -> decode(f, bad, codes.length));
  }

  @Test
  void invalidInputIsRejected() {
    float[] cb = {1f, 2f};
    assertThrows(IllegalArgumentException.class, () -> SparseLayer.encode(new int[] {2}, cb));
    assertThrows(IllegalArgumentException.class, () -> SparseLayer.encode(new int[] {-2}, cb));
    assertThrows(
        IllegalArgumentException.class,
        () -> SparseLayer.encode(new int[] {0}, cb, Encoding.SPARSE, 17));
  }

  static int[] randomCodes(int n, double sparsity, int k, Random rnd) {
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      codes[i] = rnd.nextDouble() < sparsity ? SparseLayer.PRUNED : rnd.nextInt(k);
    }
    return codes;
  }

  static float[] codebook(int k, Random rnd) {
    float[] cb = new float[k];
    for (int i = 0; i < k; i++) {
      cb[i] = (float) rnd.nextGaussian();
    }
    return cb;
  }

  private static SparseLayer.Encoded[] allForms(int[] codes, float[] cb) {
    SparseLayer.Encoded[] out = new SparseLayer.Encoded[9];
    out[0] = SparseLayer.encode(codes, cb, Encoding.FIXED, 0);
    out[1] = SparseLayer.encode(codes, cb, Encoding.DENSE, 0);
    for (int g = 2; g <= 8; g++) {
      out[g] = SparseLayer.encode(codes, cb, Encoding.SPARSE, g);
    }
    return out;
  }

  private static Encoding choice(int[] codes, float[] cb) {
    return SparseLayer.encode(codes, cb).encoding();
  }

  private static void assertRoundTrip(int[] codes, float[] cb, SparseLayer.Encoded e, String label)
      throws CorruptStreamException {
    SparseLayer.Decoded d = decode(e, codes.length);
    assertArrayEquals(codes, d.codes(), label);
    assertArrayEquals(cb, d.codebook(), label);
  }

  private static SparseLayer.Decoded decode(SparseLayer.Encoded e, int n)
      throws CorruptStreamException {
    return decode(e, e.payload(), n);
  }

  private static SparseLayer.Decoded decode(SparseLayer.Encoded e, byte[] payload, int n)
      throws CorruptStreamException {
    return SparseLayer.decode(
        e.encoding(), e.gapBits(), e.k(), e.entries(), n, reader(payload), "test layer");
  }

  private static BitReader reader(byte[] b) {
    return new BitReader(b);
  }
}
