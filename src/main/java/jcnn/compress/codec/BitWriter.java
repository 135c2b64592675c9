package jcnn.compress.codec;

import java.util.Arrays;

/**
 * An MSB-first bit stream into a growable byte array: the first bit written is the top bit of the
 * first byte, as in JPEG and in canonical Huffman codes, so a code read back as an integer sorts
 * like its bit string. The last byte is padded with zero bits. Tested in {@code BitStreamTest}.
 */
public final class BitWriter {
  private byte[] buf = new byte[64];
  private int bytes; // full bytes in buf
  private long acc; // pending bits, right-aligned
  private int accBits; // number of pending bits, < 8 between calls

  /** Appends the low {@code n} bits of {@code value}, most significant first; n in [0, 32]. */
  public void writeBits(int value, int n) {
    if (n < 0 || n > 32) {
      throw new IllegalArgumentException("BitWriter.writeBits: n = " + n + " is not in [0, 32]");
    }
    if (n < 32 && (value >>> n) != 0) {
      throw new IllegalArgumentException(
          "BitWriter.writeBits: value "
              + Integer.toUnsignedString(value)
              + " needs more than "
              + n
              + " bits");
    }
    acc = (acc << n) | (value & 0xFFFFFFFFL);
    accBits += n;
    while (accBits >= 8) {
      accBits -= 8;
      put((byte) (acc >>> accBits));
    }
    acc &= (1L << accBits) - 1; // keep only the pending bits so the next shift cannot overflow
  }

  /** Appends one bit (true = 1). */
  public void writeBit(boolean bit) {
    writeBits(bit ? 1 : 0, 1);
  }

  /** Appends the IEEE-754 bits of {@code f} unchanged (NaN payloads included), 32 bits. */
  public void writeFloat(float f) {
    writeBits(Float.floatToRawIntBits(f), 32);
  }

  /** Pads with zero bits up to the next byte boundary. */
  public void alignToByte() {
    if (accBits > 0) {
      writeBits(0, 8 - accBits);
    }
  }

  /** Bits written so far. */
  public long bitLength() {
    return 8L * bytes + accBits;
  }

  /** The stream so far, its last byte zero-padded; the writer stays usable. */
  public byte[] toByteArray() {
    byte[] out = Arrays.copyOf(buf, bytes + (accBits > 0 ? 1 : 0));
    if (accBits > 0) {
      out[bytes] = (byte) (acc << (8 - accBits));
    }
    return out;
  }

  private void put(byte b) {
    if (bytes == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    buf[bytes++] = b;
  }
}
