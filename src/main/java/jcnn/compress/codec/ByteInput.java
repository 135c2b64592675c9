package jcnn.compress.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Big-endian reads from a byte array for {@link JczReader}, each checked against the bytes left
 * before anything is read or allocated: a truncated or damaged file throws {@link
 * CorruptStreamException} naming the field, never an index error or a huge allocation. Tested
 * through {@code JczFuzzTest}.
 */
final class ByteInput {
  private final byte[] buf;
  private int pos;

  ByteInput(byte[] buf) {
    this.buf = buf;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return buf.length - pos;
  }

  byte[] array() {
    return buf;
  }

  int u8(String what) throws CorruptStreamException {
    require(1, what);
    return buf[pos++] & 0xFF;
  }

  int u16(String what) throws CorruptStreamException {
    require(2, what);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  /** An unsigned 32-bit field. */
  long u32(String what) throws CorruptStreamException {
    require(4, what);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (buf[pos + i] & 0xFF);
    }
    pos += 4;
    return v;
  }

  /** An unsigned 32-bit field that must not exceed {@code max}. */
  int u32(String what, long max) throws CorruptStreamException {
    long v = u32(what);
    if (v > max) {
      throw new CorruptStreamException(what + " is " + v + ", at most " + max + " allowed");
    }
    return (int) v;
  }

  /** {@code n} bytes of strict UTF-8 (malformed bytes are corruption, not replacement chars). */
  String utf8(int n, String what) throws CorruptStreamException {
    require(n, what);
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(buf, pos, n))
              .toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw new CorruptStreamException(what + " is not valid UTF-8");
    }
  }

  void skip(int n, String what) throws CorruptStreamException {
    require(n, what);
    pos += n;
  }

  void require(long n, String what) throws CorruptStreamException {
    if (n > remaining()) {
      throw new CorruptStreamException(
          "truncated reading " + what + " (needs " + n + " bytes, " + remaining() + " left)");
    }
  }
}
