/**
 * The compressed-model codec of Deep Compression (Han et al. 2016, Sec. 3-4): what makes a pruned,
 * weight-shared network small on disk, and the {@code .jcz} file that holds it.
 *
 * <ul>
 *   <li>{@link jcnn.compress.codec.BitWriter} / {@link jcnn.compress.codec.BitReader}: MSB-first
 *       bit streams; the reader never reads past its end.
 *   <li>{@link jcnn.compress.codec.Huffman}, {@link jcnn.compress.codec.HuffmanCode}: canonical,
 *       length-limited (24 bits) Huffman codes stored as their code lengths, decoded by table.
 *   <li>{@link jcnn.compress.codec.SparseLayer}: one layer's cluster ids as Huffman-coded relative
 *       indices (gaps with filler zeros) plus ids, or dense ids, whichever is smaller.
 *   <li>{@link jcnn.compress.codec.JczWriter} / {@link jcnn.compress.codec.JczReader}: the
 *       versioned, CRC-checked {@code .jcz} file ({@link jcnn.compress.codec.JczFormat},
 *       docs/jcz-format.md) of a {@link jcnn.compress.codec.JczModel}; the writer returns a {@link
 *       jcnn.compress.codec.SizeReport}, which also holds Eq. 2 of Tzelepis et al.
 * </ul>
 *
 * <p>Call order: build a {@code JczModel} (name, classes, metadata, tensors as {@code
 * JczTensor.Coded} or {@code JczTensor.Raw}) -> {@code JczWriter.write(path, model)} -> later
 * {@code JczReader.read(path).decode(name)}. Damaged files end in one {@link java.io.IOException}
 * naming the file and section. Imports only {@code jcnn.tensor}; every class has a {@code *Test}
 * beside it, and {@code JczFuzzTest} damages files on purpose.
 */
package jcnn.compress.codec;
