/**
 * Running a compressed model in its compressed form (issue 19): the weights of a {@code .jcz} file
 * stay sparse, codebook-indexed or bit-packed in memory, and inference multiplies by them directly
 * instead of decoding them to dense float32 first.
 *
 * <ul>
 *   <li>{@link jcnn.compress.exec.WeightRows}: a weight matrix W [K, C] in one execution form, with
 *       the one product every layer needs, Y [K, M] = W B for B [C, M]: {@link
 *       jcnn.compress.exec.SparseRows} (CSR, float values or byte codes into a codebook), {@link
 *       jcnn.compress.exec.CodedRows} (dense byte or 4-bit codebook indices) and {@link
 *       jcnn.compress.exec.BitRows} (binary and ternary weights as bit planes; {@link
 *       jcnn.compress.exec.Xnor} multiplies them by binary activations with XOR and popcount);
 *   <li>{@link jcnn.compress.exec.CompressedLinear} and {@link
 *       jcnn.compress.exec.CompressedConv2d}: inference-only layers that hold such a matrix in
 *       place of their float weight;
 *   <li>{@link jcnn.compress.exec.ExecPlan}: chooses the form of each layer from the file's tensors
 *       ({@link jcnn.compress.exec.ExecMode}) and swaps the layers in, and counts the bytes the
 *       executing model holds.
 * </ul>
 *
 * Conv weights are reordered to (r, s, c) columns ({@link jcnn.compress.exec.Im2col}), so the bit
 * planes of a pixel's channels are contiguous words; sparse and coded convs run directly from their
 * rows' non-zeros ({@link jcnn.compress.exec.DirectConv}), bit planes on an im2col. Call order:
 * {@code CompressedModel.load} -> {@code ExecPlan.apply(model, file, mode)} -> {@code model.eval()}
 * -> forward under no-grad. Every form is tested against the dense decoded weights in {@code
 * CompressedExecTest}; benchmarked by {@code jcnn bench sparse} and {@code jcnn bench xnor}.
 */
package jcnn.compress.exec;
