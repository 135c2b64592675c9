package jcnn.compress.codec;

/**
 * An MSB-first bit stream over a slice of a byte array, the mirror of {@link BitWriter}. Every read
 * is checked against the end of the slice first: running out throws a {@link
 * CorruptStreamException} naming what was being read, so a damaged stream can never make a decoder
 * read past its data. {@link #peek} is the one exception by design: it pads with zero bits so a
 * table-driven Huffman decoder can look ahead near the end; the {@link #skip} that follows is
 * checked. Tested in {@code BitStreamTest}.
 */
public final class BitReader {
  private final byte[] buf;
  private final int start; // first byte of the slice
  private final int end; // one past the last byte of the slice
  private final long limit; // bits in the slice
  private long pos; // bits consumed

  public BitReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /** A reader over {@code buf[offset, offset + length)}. */
  public BitReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset > buf.length - length) {
      throw new IllegalArgumentException(
          "BitReader: slice [" + offset + ", +" + length + ") outside an array of " + buf.length);
    }
    this.buf = buf;
    this.start = offset;
    this.end = offset + length;
    this.limit = 8L * length;
  }

  /** Bits left before the end of the slice. */
  public long remaining() {
    return limit - pos;
  }

  /** Bits consumed so far. */
  public long position() {
    return pos;
  }

  /**
   * Reads {@code n} bits (n in [0, 32]) as an unsigned value; {@code what} names them in errors.
   */
  public int readBits(int n, String what) throws CorruptStreamException {
    if (n < 0 || n > 32) {
      throw new IllegalArgumentException("BitReader.readBits: n = " + n + " is not in [0, 32]");
    }
    require(n, what);
    if (n <= 25) {
      int v = peek(n);
      pos += n;
      return v;
    }
    int hi = peek(16);
    pos += 16;
    int lo = peek(n - 16);
    pos += n - 16;
    return (hi << (n - 16)) | lo;
  }

  /** Reads one bit. */
  public boolean readBit(String what) throws CorruptStreamException {
    return readBits(1, what) != 0;
  }

  /** Reads 32 bits as a float, bit for bit (NaN payloads included). */
  public float readFloat(String what) throws CorruptStreamException {
    return Float.intBitsToFloat(readBits(32, what));
  }

  /**
   * The next {@code n} bits (n in [0, 25]) without consuming them; bits past the end read as 0.
   * Unchecked on purpose (see the class comment): follow it with {@link #skip}.
   */
  public int peek(int n) {
    if (n == 0) {
      return 0;
    }
    int i = start + (int) (pos >>> 3);
    int w;
    if (i + 4 <= end) {
      w =
          (buf[i] << 24)
              | ((buf[i + 1] & 0xFF) << 16)
              | ((buf[i + 2] & 0xFF) << 8)
              | (buf[i + 3] & 0xFF);
    } else {
      w = 0;
      for (int j = 0; j < 4; j++) {
        w = (w << 8) | (i + j < end ? buf[i + j] & 0xFF : 0);
      }
    }
    return (w << (pos & 7)) >>> (32 - n);
  }

  /** Consumes {@code n} bits, checking that they exist. */
  public void skip(int n, String what) throws CorruptStreamException {
    require(n, what);
    pos += n;
  }

  /** Skips the zero padding up to the next byte boundary. */
  public void alignToByte() {
    pos = Math.min(limit, (pos + 7) & ~7L);
  }

  private void require(long n, String what) throws CorruptStreamException {
    if (n > limit - pos) {
      throw new CorruptStreamException(
          "ran out of bits reading " + what + " (needs " + n + ", " + (limit - pos) + " left)");
    }
  }
}
