package jcnn.compress.quant;

import java.util.List;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.tensor.Tensor;

/**
 * A binarized weight, {@code weight = a * b(latent)} with b in {-1, +1} ({@link
 * jcnn.autograd.ops.Binarize}): BinaryConnect's deterministic or stochastic binarization
 * (Courbariaux et al. 2015), with XNOR-Net's per-output-channel scale a = mean |w| when scaled.
 *
 * <p>After each optimizer step the latent weights are clipped to [-1, 1] ({@link #afterStep}), as
 * BinaryConnect does: beyond that range a weight would no longer change its binarization, and the
 * straight-through gradient is zero there anyway.
 *
 * <p>Stochastic draws happen only in training mode with gradients on; evaluation and {@link
 * #materialize} use the deterministic sign, the most probable value. The draws are seeded by the
 * layer's seed and a counter kept in the buffer {@code <name>_draws}, so a run is a pure function
 * of its seed and a resumed run draws what an uninterrupted one would have.
 */
public final class BinaryWeight extends QuantizedWeight {
  private final boolean stochastic;
  private final boolean scaled;
  private final long seed;

  BinaryWeight(Module owner, String name, boolean stochastic, boolean scaled, long seed) {
    super(owner, name);
    this.stochastic = stochastic;
    this.scaled = scaled;
    this.seed = seed;
    if (stochastic) {
      owner.setBuffer(drawsBuffer(name), Tensor.zeros(1));
    }
  }

  /** The buffer counting a stochastic weight's draws: {@code weight_draws}. */
  public static String drawsBuffer(String name) {
    return name + "_draws";
  }

  @Override
  public Variable apply(Parameter p) {
    if (!stochastic || !owner.isTraining() || !GradMode.isEnabled()) {
      return inference(p);
    }
    float[] count = owner.buffer(drawsBuffer(name)).data();
    long draw = (long) count[0];
    count[0] = draw + 1; // exact below 2^24 draws, far more steps than a run takes
    return F.binarize(p, true, seed * 0x9E3779B97F4A7C15L + draw, scaled);
  }

  @Override
  public Variable inference(Parameter p) {
    return F.binarize(p, false, 0, scaled);
  }

  @Override
  public void afterStep(Parameter p) {
    float[] w = p.value().data();
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.max(-1f, Math.min(1f, w[i]));
    }
  }

  @Override
  public List<String> buffers() {
    return stochastic ? List.of(drawsBuffer(name)) : List.of();
  }

  /** Whether each output channel is scaled by its mean |w|. */
  public boolean scaled() {
    return scaled;
  }

  public boolean stochastic() {
    return stochastic;
  }

  @Override
  public WeightMode mode() {
    return stochastic ? WeightMode.BINARY_STOCHASTIC : WeightMode.BINARY;
  }
}
