package jcnn.compress.quant;

import java.util.List;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.autograd.ops.TrainedTernary;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.tensor.Tensor;

/**
 * A TTQ weight (Zhu et al. 2017): {@code weight in {-wn, 0, +wp}} at threshold t max|w| (t = 0.05),
 * with the two scales trained ({@link TrainedTernary}).
 *
 * <p><b>State.</b> The scales are parameters of this transform, not of the module ({@link
 * #parameters}, found by {@code Module.trainableParameters}); the tensors they wrap are the
 * module's buffers {@code <name>_wp} and {@code <name>_wn} [1], so state dicts and checkpoints
 * carry them and optimizer steps act on them. At install they start as the mean magnitude of the
 * latent weights above the threshold on each side (the TWN scale of each side), so fine-tuning from
 * a float model starts from the best fixed levels rather than from 1.
 */
public final class TtqWeight extends QuantizedWeight {
  private final Parameter wp;
  private final Parameter wn;

  TtqWeight(Module owner, String name) {
    super(owner, name);
    float[] w = owner.parameter(name).value().dataForRead();
    float delta = TrainedTernary.threshold(w, TrainedTernary.THRESHOLD);
    double pos = 0;
    double neg = 0;
    int np = 0;
    int nn = 0;
    for (float v : w) {
      if (v > delta) {
        pos += v;
        np++;
      } else if (v < -delta) {
        neg -= v;
        nn++;
      }
    }
    this.wp = new Parameter(Tensor.of(new float[] {np == 0 ? 1f : (float) (pos / np)}, 1));
    this.wn = new Parameter(Tensor.of(new float[] {nn == 0 ? 1f : (float) (neg / nn)}, 1));
    owner.setBuffer(positiveBuffer(name), wp.value());
    owner.setBuffer(negativeBuffer(name), wn.value());
  }

  /** The buffer holding the positive scale of parameter {@code name}: {@code weight_wp}. */
  public static String positiveBuffer(String name) {
    return name + "_wp";
  }

  /** The buffer holding the negative scale's magnitude: {@code weight_wn}. */
  public static String negativeBuffer(String name) {
    return name + "_wn";
  }

  @Override
  public Variable apply(Parameter p) {
    return F.trainedTernary(p, wp, wn, TrainedTernary.THRESHOLD);
  }

  @Override
  public Variable inference(Parameter p) {
    return apply(p);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(wp, wn);
  }

  @Override
  public List<String> buffers() {
    return List.of(positiveBuffer(name), negativeBuffer(name));
  }

  /** The positive scale wp. */
  public float positive() {
    return wp.value().item();
  }

  /** The negative scale's magnitude wn (the level is -wn). */
  public float negative() {
    return wn.value().item();
  }

  @Override
  public WeightMode mode() {
    return WeightMode.TTQ;
  }
}
