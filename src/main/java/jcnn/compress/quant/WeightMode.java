package jcnn.compress.quant;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a network's weights are represented in the forward pass: the values of {@code jcnn train
 * --weights}. Each mode but {@code FLOAT} is a {@link QuantizedWeight} on the chosen layers (see
 * {@link Quantization} for which layers each mode takes).
 */
public enum WeightMode {
  /** Plain float32 weights. */
  FLOAT("float", 32),
  /** BinaryConnect's deterministic binarization, sign(w), optionally scaled per output channel. */
  BINARY("binary", 1),
  /** BinaryConnect's stochastic binarization, +1 with probability hardSigmoid(w), seeded. */
  BINARY_STOCHASTIC("binary-stochastic", 1),
  /** TWN: {-a, 0, +a} with threshold 0.7 mean|w| and one scale a per layer. */
  TERNARY("ternary", 2),
  /** TTQ: {-wn, 0, +wp} with threshold 0.05 max|w| and two trained scales per layer. */
  TTQ("ttq", 2),
  /** SEP-Net's pattern binarization: kxk filters (k &gt; 1) binary and scaled, 1x1 ones float. */
  PATTERN("pattern", 1);

  private final String cliName;
  private final int bits;

  WeightMode(String cliName, int bits) {
    this.cliName = cliName;
    this.bits = bits;
  }

  /** The name {@code --weights} takes and model names carry, e.g. {@code binary-stochastic}. */
  public String cliName() {
    return cliName;
  }

  /** Bits per quantized weight (32 for float). */
  public int bits() {
    return bits;
  }

  /** Whether the mode binarizes (its latent weights are clipped to [-1, 1] after each step). */
  public boolean isBinary() {
    return bits == 1;
  }

  /** The mode named {@code name}; an unknown name is an error listing the known ones. */
  public static WeightMode parse(String name) {
    for (WeightMode m : values()) {
      if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "--weights must be one of "
            + String.join(", ", Arrays.stream(values()).map(WeightMode::cliName).toList())
            + ", got '"
            + name
            + "'");
  }
}
