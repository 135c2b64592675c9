/**
 * Binary and ternary weights as training features, built on the same reparametrisation hook as
 * pruning and weight sharing ({@link jcnn.nn.WeightTransform}): the forward pass uses the quantized
 * weight, and a straight-through gradient trains the real-valued latent one.
 *
 * <ul>
 *   <li>{@link jcnn.compress.quant.BinaryWeight}: BinaryConnect's deterministic and stochastic
 *       binarization (Courbariaux et al. 2015), XNOR-Net's per-channel scale (Rastegari et al.
 *       2016), the weights of BNN (Hubara et al. 2016) and SEP-Net's pattern binarization (Li et
 *       al. 2017);
 *   <li>{@link jcnn.compress.quant.TernaryWeight}: TWN (Li, Zhang and Liu 2016);
 *   <li>{@link jcnn.compress.quant.TtqWeight}: Trained Ternary Quantization (Zhu et al. 2017);
 *   <li>{@link jcnn.compress.quant.Quantization}: which layers each mode takes, installing, listing
 *       and baking; {@link jcnn.compress.quant.QuantSpec}: the mode a model name carries.
 * </ul>
 *
 * Call order: build the float network -> {@code Quantization.apply} -> train with {@code
 * model.trainableParameters()} and {@code model.afterStep()} after each step -> {@code
 * Quantization.quantized(model)} for the file.
 */
package jcnn.compress.quant;
