package jcnn.compress.codec;

import java.nio.charset.StandardCharsets;

/**
 * The {@code .jcz} compressed-model file format, version 1: constants shared by {@link JczWriter}
 * and {@link JczReader}. The full description, with examples, is docs/jcz-format.md. All integers
 * are unsigned big-endian; strings are UTF-8 with a length prefix; CRCs are CRC-32 (the zlib / PNG
 * polynomial, {@link java.util.zip.CRC32}).
 *
 * <pre>
 * file    := header | section x S | trailer
 *
 * header  := magic "JCZ1" (4A 43 5A 31) | version u16 = 1
 *            | name length u16 | model name
 *            | classes u32
 *            | metadata length u32 | metadata (UTF-8 JSON by convention, may be empty)
 *            | S = section count u32
 *            | CRC32 of the header bytes before it, u32
 *
 * section := type u8 (Encoding id: 0 RAW_F32, 1 FIXED, 2 DENSE, 3 SPARSE)
 *            | name length u16 (1..65535) | tensor name
 *            | rank u8 (0..4) | dims u32 x rank (product = numel, at most 2^28)
 *            | gapBits u8 (SPARSE: 1..16, else 0)
 *            | k u32 (coded: centroids, 0..65535; RAW_F32: 0)
 *            | entries u32 (SPARSE: symbols in the id stream, fillers included; else numel)
 *            | payload length u32 | payload
 *            | CRC32 of the section bytes from the type byte to the end of the payload, u32
 *
 * payload RAW_F32 := numel x float32 (IEEE-754 bits, big-endian)
 * payload coded   := see {@link SparseLayer}: k x float32 codebook, then the bit stream
 *
 * trailer := end magic "JCZE" (4A 43 5A 45) | S again, u32
 *            | CRC32 of every file byte before this field, u32
 * </pre>
 *
 * A reader rejects an unknown version; a future version 2 may add section types, which a version-1
 * reader must not guess at.
 */
public final class JczFormat {
  static final byte[] MAGIC = "JCZ1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] END_MAGIC = "JCZE".getBytes(StandardCharsets.US_ASCII);

  /** The format version this code writes and the only one it reads. */
  public static final int VERSION = 1;

  static final int MAX_RANK = 4;
  static final int MAX_NAME_BYTES = 0xFFFF;

  /** Bytes of a section around its name, dims and payload (type ... payload length, CRC). */
  static final int SECTION_FIXED_BYTES = 1 + 2 + 1 + 1 + 4 + 4 + 4 + 4;

  static final int TRAILER_BYTES = 12;

  private JczFormat() {}
}
