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
 * header  := magic "JCZ1" (4A 43 5A 31) | version u16 = 1, or 2 with low-bit sections
 *            | name length u16 | model name
 *            | classes u32
 *            | metadata length u32 | metadata (UTF-8 JSON by convention, may be empty)
 *            | S = section count u32
 *            | CRC32 of the header bytes before it, u32
 *
 * section := type u8 (Encoding id: 0 RAW_F32, 1 FIXED, 2 DENSE, 3 SPARSE; v2: 4 BINARY,
 *            5 TERNARY)
 *            | name length u16 (1..65535) | tensor name
 *            | rank u8 (0..4) | dims u32 x rank (product = numel, at most 2^28)
 *            | gapBits u8 (SPARSE: 1..16, else 0)
 *            | k u32 (coded: centroids, 0..65535; RAW_F32: 0; BINARY: scales, 1 or dims[0];
 *              TERNARY: 2)
 *            | entries u32 (SPARSE: symbols in the id stream, fillers included; else numel)
 *            | payload length u32 | payload
 *            | CRC32 of the section bytes from the type byte to the end of the payload, u32
 *
 * payload RAW_F32 := numel x float32 (IEEE-754 bits, big-endian)
 * payload coded   := see {@link SparseLayer}: k x float32 codebook, then the bit stream
 * payload BINARY  := k x float32 scales | numel sign bits, MSB-first (1 = +scale), zero-padded
 * payload TERNARY := float32 positive | float32 negative | numel 2-bit codes, MSB-first
 *                    (0 zero, 1 +positive, 2 -negative; 3 is corruption), zero-padded
 *
 * trailer := end magic "JCZE" (4A 43 5A 45) | S again, u32
 *            | CRC32 of every file byte before this field, u32
 * </pre>
 *
 * A reader rejects an unknown version, and a low-bit section in a version-1 file.
 */
public final class JczFormat {
  static final byte[] MAGIC = "JCZ1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] END_MAGIC = "JCZE".getBytes(StandardCharsets.US_ASCII);

  /**
   * The newest format version, which this code reads along with version 1. Version 2 adds the
   * BINARY and TERNARY section types; a file without them is written as version 1, so that it stays
   * readable by older readers.
   */
  public static final int VERSION = 2;

  /** The version of files with only the sections of version 1. */
  public static final int VERSION_1 = 1;

  static final int MAX_RANK = 4;
  static final int MAX_NAME_BYTES = 0xFFFF;

  /** Bytes of a section around its name, dims and payload (type ... payload length, CRC). */
  static final int SECTION_FIXED_BYTES = 1 + 2 + 1 + 1 + 4 + 4 + 4 + 4;

  static final int TRAILER_BYTES = 12;

  private JczFormat() {}
}
