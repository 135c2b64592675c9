package jcnn.compress.quant;

/**
 * A network's quantization: how its weights are represented ({@link WeightMode}), whether binary
 * weights carry a per-output-channel scale, and whether its hidden activations are binary (BNN).
 * Model names carry it as a suffix so that a model file rebuilds it: {@code lenet5+binary}, {@code
 * bnn-mlp+binary+unscaled+binact}, {@code resnet20+ttq} ({@link #suffix}, {@link #parse}).
 *
 * @param weights the weight representation
 * @param scaled binary modes only: multiply each output channel by its mean |w| (XNOR-Net); false
 *     gives the plain +-1 weights of BinaryConnect and BNN, which need batch norm after the layer
 * @param binaryActivations the hidden activations are sign(x) with the hard-tanh gradient (BNN);
 *     the network's input and its output stay real
 */
public record QuantSpec(WeightMode weights, boolean scaled, boolean binaryActivations) {
  /** Float weights and activations: no quantization. */
  public static final QuantSpec FLOAT = new QuantSpec(WeightMode.FLOAT, true, false);

  private static final String UNSCALED = "unscaled";
  private static final String BINACT = "binact";

  public QuantSpec {
    if (weights == null) {
      throw new IllegalArgumentException("QuantSpec: weights mode is required");
    }
    if (!scaled && weights != WeightMode.BINARY && weights != WeightMode.BINARY_STOCHASTIC) {
      throw new IllegalArgumentException(
          "--binary-scale none is for --weights binary or binary-stochastic, not "
              + weights.cliName()
              + " (ternary and pattern weights carry their own scales)");
    }
  }

  /** Whether this is plain float (nothing to install). */
  public boolean isFloat() {
    return weights == WeightMode.FLOAT && !binaryActivations;
  }

  /** The model-name suffix: "" for float, else e.g. {@code +binary+unscaled+binact}. */
  public String suffix() {
    StringBuilder s = new StringBuilder();
    if (weights != WeightMode.FLOAT) {
      s.append('+').append(weights.cliName());
    }
    if (!scaled) {
      s.append('+').append(UNSCALED);
    }
    if (binaryActivations) {
      s.append('+').append(BINACT);
    }
    return s.toString();
  }

  /** Parses a suffix made by {@link #suffix} ("" or starting with '+'). */
  public static QuantSpec parse(String suffix) {
    WeightMode mode = WeightMode.FLOAT;
    boolean scaled = true;
    boolean act = false;
    if (suffix.isEmpty()) {
      return FLOAT;
    }
    if (suffix.charAt(0) != '+') {
      throw new IllegalArgumentException("quantization suffix must start with '+': " + suffix);
    }
    for (String part : suffix.substring(1).split("\\+", -1)) {
      if (part.equals(UNSCALED)) {
        scaled = false;
      } else if (part.equals(BINACT)) {
        act = true;
      } else {
        mode = WeightMode.parse(part);
      }
    }
    return new QuantSpec(mode, scaled, act);
  }
}
