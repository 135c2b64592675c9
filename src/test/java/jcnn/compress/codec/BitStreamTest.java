package jcnn.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Round trips of {@link BitWriter} / {@link BitReader} and the reader's end-of-data checks. */
class BitStreamTest {
  @Test
  void msbFirstLayout() throws Exception {
    BitWriter w = new BitWriter();
    w.writeBits(0b1, 1);
    w.writeBits(0b011, 3);
    w.writeBits(0xA, 4);
    w.writeBits(0b11, 2);
    assertEquals(10, w.bitLength());
    assertArrayEquals(new byte[] {(byte) 0b1011_1010, (byte) 0b1100_0000}, w.toByteArray());
    w.alignToByte();
    w.writeBit(true);
    assertEquals(17, w.bitLength());
    BitReader r = new BitReader(w.toByteArray());
    r.skip(3, "three bits");
    r.alignToByte();
    assertEquals(0b1100_0000, r.readBits(8, "second byte"));
    assertTrue(r.readBit("the bit after the padding"));
  }

  @Test
  void randomFieldsRoundTrip() throws Exception {
    Random rnd = new Random(1);
    int count = 5000;
    int[] widths = new int[count];
    int[] values = new int[count];
    BitWriter w = new BitWriter();
    for (int i = 0; i < count; i++) {
      widths[i] = rnd.nextInt(33);
      values[i] = widths[i] == 32 ? rnd.nextInt() : rnd.nextInt() & ((1 << widths[i]) - 1);
      w.writeBits(values[i], widths[i]);
    }
    w.writeFloat(Float.intBitsToFloat(0x7FC0_1234)); // a NaN with a payload survives bit for bit
    byte[] bytes = w.toByteArray();
    BitReader r = new BitReader(bytes);
    for (int i = 0; i < count; i++) {
      assertEquals(values[i], r.readBits(widths[i], "field " + i), "field " + i);
    }
    assertEquals(0x7FC0_1234, Float.floatToRawIntBits(r.readFloat("nan")));
    assertTrue(r.remaining() < 8);
  }

  @Test
  void readerRefusesToReadPastTheEnd() throws Exception {
    BitReader r = new BitReader(new byte[] {(byte) 0xFF, 0x00});
    assertEquals(0xFF, r.readBits(8, "first byte"));
    assertEquals(0, r.readBits(5, "bits"));
    CorruptStreamException e =
        assertThrows(CorruptStreamException.class, () -> r.readBits(4, "the gap count"));
    assertTrue(e.getMessage().contains("the gap count"), e.getMessage());
    assertTrue(e.getMessage().contains("3 left"), e.getMessage());
    assertEquals(13, r.position(), "a failed read consumes nothing");
    assertThrows(CorruptStreamException.class, () -> r.skip(4, "x"));
    assertEquals(0, r.readBits(3, "tail"), "the last 3 bits are still readable");
  }

  @Test
  void sliceIsRespectedAndPeekPadsWithZeros() throws Exception {
    byte[] buf = {(byte) 0xAA, (byte) 0xFF, (byte) 0xFF};
    BitReader r = new BitReader(buf, 0, 1); // only the first byte
    assertEquals(0xAA << 17, r.peek(25), "bits past the slice read as zero");
    r.skip(8, "byte");
    assertThrows(CorruptStreamException.class, () -> r.readBit("beyond"));
    assertThrows(IllegalArgumentException.class, () -> new BitReader(buf, 2, 2));
  }

  @Test
  void writerRejectsValuesWiderThanTheField() {
    BitWriter w = new BitWriter();
    assertThrows(IllegalArgumentException.class, () -> w.writeBits(4, 2));
    assertThrows(IllegalArgumentException.class, () -> w.writeBits(0, 33));
  }
}
