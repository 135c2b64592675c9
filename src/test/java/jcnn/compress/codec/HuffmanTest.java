package jcnn.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Canonical Huffman coding: round trips on the edge cases and on skewed and uniform data, the Kraft
 * inequality and the length limit, size near the entropy, compact tables, corrupt streams, and
 * decode speed (printed, loosely bounded: the 2 shared cores make timings noisy).
 */
class HuffmanTest {
  @Test
  void emptyInputRoundTrips() throws Exception {
    assertArrayEquals(new int[0], roundTrip(new int[0], 10));
    assertArrayEquals(new int[0], roundTrip(new int[0], 0));
  }

  @Test
  void singleDistinctSymbolGetsAOneBitCode() throws Exception {
    int[] symbols = new int[1000];
    Arrays.fill(symbols, 7);
    HuffmanCode code = Huffman.codeFor(symbols, 10);
    assertEquals(1, code.length(7));
    assertArrayEquals(symbols, roundTrip(symbols, 10));
    // Table (< 4 bytes) + count (4 bytes) + 1000 bits.
    assertTrue(Huffman.encode(symbols, 10).length <= 4 + 4 + 125);
  }

  @Test
  void twoSymbolsAndAllOfAHugeAlphabet() throws Exception {
    assertArrayEquals(new int[] {3, 9, 9, 3, 9}, roundTrip(new int[] {3, 9, 9, 3, 9}, 10));
    Random rnd = new Random(2);
    int[] uniform = new int[400_000];
    for (int i = 0; i < uniform.length; i++) {
      uniform[i] = rnd.nextInt(HuffmanCode.MAX_ALPHABET);
    }
    assertArrayEquals(uniform, roundTrip(uniform, HuffmanCode.MAX_ALPHABET));
    HuffmanCode code = Huffman.codeFor(uniform, HuffmanCode.MAX_ALPHABET);
    long bits = code.encodedBits(Huffman.histogram(uniform, HuffmanCode.MAX_ALPHABET));
    assertTrue(bits <= 16.3 * uniform.length, "about 16 bits per uniform symbol: " + bits);
  }

  @Test
  void skewedGeometricCompressesNearItsEntropy() throws Exception {
    int[] symbols = geometric(200_000, 0.8, 256, new Random(3));
    long[] freq = Huffman.histogram(symbols, 256);
    HuffmanCode code = HuffmanCode.fromFrequencies(freq);
    double entropy = Huffman.entropyBits(freq);
    long bits = code.encodedBits(freq);
    System.out.printf(
        "Huffman geometric(0.8): %.4f bits/symbol, entropy %.4f (+%.2f%%), table %d bits%n",
        (double) bits / symbols.length,
        entropy / symbols.length,
        100 * (bits / entropy - 1),
        code.tableBits());
    assertTrue(bits <= 1.02 * entropy, bits + " bits vs entropy " + entropy);
    assertArrayEquals(symbols, roundTrip(symbols, 256));
    // 99% one symbol: Huffman cannot go below 1 bit per symbol, but must still round trip.
    int[] extreme = geometric(50_000, 0.01, 40, new Random(4));
    assertArrayEquals(extreme, roundTrip(extreme, 40));
  }

  @Test
  void lengthsObeyKraftAndTheLimitEvenForFibonacciFrequencies() throws Exception {
    // Fibonacci weights make the deepest possible Huffman tree: 44 symbols would need 43 bits.
    long[] freq = new long[44];
    freq[0] = 1;
    freq[1] = 1;
    for (int i = 2; i < freq.length; i++) {
      freq[i] = freq[i - 1] + freq[i - 2];
    }
    int[] unlimited = CodeLengths.of(freq, 62);
    assertEquals(43, Arrays.stream(unlimited).max().getAsInt(), "the test really needs limiting");
    HuffmanCode code = HuffmanCode.fromFrequencies(freq);
    assertKraftAndLimit(code.lengths());
    for (int s = 1; s < freq.length; s++) {
      assertTrue(code.length(s) <= code.length(s - 1), "more frequent never longer, symbol " + s);
    }
    long optimal = 0;
    for (int s = 0; s < freq.length; s++) {
      optimal += freq[s] * unlimited[s];
    }
    double loss = (double) code.encodedBits(freq) / optimal - 1;
    assertTrue(loss < 0.001, "the limit costs " + loss);
    int[] symbols = {0, 1, 2, 43, 42, 0, 17, 0, 1};
    assertArrayEquals(symbols, roundTrip(symbols, freq.length));
    for (long[] f : new long[][] {{5, 0, 5}, {1, 1, 1, 1, 1}, {1000, 1, 1, 1, 0, 0, 3}}) {
      assertKraftAndLimit(HuffmanCode.fromFrequencies(f).lengths());
    }
  }

  @Test
  void tablesAreCompact() throws Exception {
    int[] symbols = geometric(30_000, 0.9, 33, new Random(5));
    HuffmanCode code = Huffman.codeFor(symbols, 33);
    assertTrue(code.tableBits() < 33 * 5, "table of 33 lengths: " + code.tableBits() + " bits");
    BitWriter w = new BitWriter();
    code.writeTable(w);
    HuffmanCode back = HuffmanCode.readTable(new BitReader(w.toByteArray()), 33, "t");
    assertArrayEquals(code.lengths(), back.lengths());
    // A 2^16 alphabet using only two far-apart symbols: runs keep the table tiny.
    int[] sparse = {0, 65535, 0};
    assertTrue(Huffman.codeFor(sparse, 1 << 16).tableBits() < 120);
    assertArrayEquals(sparse, roundTrip(sparse, 1 << 16));
  }

  @Test
  void corruptStreamsThrow() {
    int[] ones = new int[64];
    byte[] ok = Huffman.encode(ones, 4); // symbol 0 has the 1-bit code "0"; "1" is no code
    byte[] bad = ok.clone();
    bad[bad.length - 1] = (byte) 0xFF;
    assertThrows(CorruptStreamException.class, () -> Huffman.decode(bad, 4));
    byte[] truncated = Arrays.copyOf(ok, ok.length - 2);
    assertThrows(CorruptStreamException.class, () -> Huffman.decode(truncated, 4));
    assertThrows(CorruptStreamException.class, () -> Huffman.decode(ok, 0), "table > alphabet");
    // A count of 2^31 - 1 symbols in a few bytes is refused before allocating anything.
    BitWriter w = new BitWriter();
    HuffmanCode.fromLengths(new int[] {1, 1}).writeTable(w);
    w.writeBits(Integer.MAX_VALUE, 32);
    assertThrows(CorruptStreamException.class, () -> Huffman.decode(w.toByteArray(), 2));
  }

  @Test
  void randomCorruptionEndsInAResultOrACorruptStreamException() {
    int[] symbols = geometric(2000, 0.7, 300, new Random(6));
    byte[] ok = Huffman.encode(symbols, 300);
    Random rnd = new Random(7);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          int failures = 0;
          for (int trial = 0; trial < 300; trial++) {
            byte[] bad = ok.clone();
            for (int f = 0; f < 1 + trial % 4; f++) {
              bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
              Huffman.decode(bad, 300);
            } catch (CorruptStreamException e) {
              failures++;
            }
          }
          assertTrue(failures > 0, "some corruptions must be detected");
        });
  }

  @Test
  void decodesFourHundredThousandSymbolsFast() throws Exception {
    int[] symbols = geometric(400_000, 0.85, 33, new Random(8));
    byte[] stream = Huffman.encode(symbols, 33);
    long best = Long.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) { // the first runs warm up the JIT
      long t0 = System.nanoTime();
      int[] back = Huffman.decode(stream, 33);
      best = Math.min(best, System.nanoTime() - t0);
      assertEquals(symbols.length, back.length);
    }
    System.out.printf(
        "Huffman decode: 400k symbols (%d bytes) in %.2f ms best of 5%n",
        stream.length, best / 1e6);
    assertTrue(best < 200_000_000L, "decode took " + best / 1e6 + " ms");
  }

  static int[] roundTrip(int[] symbols, int alphabet) throws CorruptStreamException {
    return Huffman.decode(Huffman.encode(symbols, alphabet), alphabet);
  }

  /** Symbols with P(s) proportional to ratio^s, capped at alphabet - 1. */
  static int[] geometric(int n, double ratio, int alphabet, Random rnd) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int s = 0;
      while (s < alphabet - 1 && rnd.nextDouble() < ratio) {
        s++;
      }
      out[i] = s;
    }
    return out;
  }

  private static void assertKraftAndLimit(int[] lengths) {
    double kraft = 0;
    for (int len : lengths) {
      assertTrue(len >= 0 && len <= HuffmanCode.MAX_LENGTH, "length " + len);
      kraft += len == 0 ? 0 : Math.pow(2, -len);
    }
    assertTrue(kraft <= 1.0, "Kraft sum " + kraft);
  }
}
