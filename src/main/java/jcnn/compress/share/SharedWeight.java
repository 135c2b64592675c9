package jcnn.compress.share;

import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.WeightTransform;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * One shared weight: the {@link WeightTransform} that makes a layer's effective weight {@code
 * gather([c_0, ..., c_{k-1}, 0], codes)}, installed by {@link WeightSharing}.
 *
 * <p>The centroids are a trainable {@link Parameter} [k]. A constant 0 is appended before the
 * gather and pruned weights (code -1) read that entry, so they stay exactly zero and their gradient
 * reaches nothing trainable. The gather's backward scatter-adds the weight gradient per code: the
 * gradient of centroid j is the sum of the gradients of all weights of cluster j, which is Deep
 * Compression's codebook gradient aggregation (Han et al. 2016, Fig. 3).
 *
 * <p><b>State.</b> Two buffers on the owning module carry the state, so a state dict saves and
 * restores it: {@code <name>_codes} holds the codes as floats (-1 and 0..k-1 are exact in float for
 * any k below 2^24), and {@code <name>_codebook} is the very tensor the centroid parameter wraps,
 * so optimizer steps and {@code loadStateDict} both act on it. Because a module cannot register a
 * parameter from outside, the centroids are a buffer there; {@link
 * WeightSharing#trainableParameters} is how an optimizer finds them. The codes buffer is the source
 * of truth: each forward converts it to ints (O(n), small beside the layer's own product), so codes
 * loaded into the buffer take effect at once.
 *
 * <p>Tested by {@code WeightSharingTest}.
 */
public final class SharedWeight implements WeightTransform {
  private static final Variable ZERO = Variable.constant(Tensor.zeros(1)); // [1]

  private final Module owner;
  private final String name;
  private final Shape shape;
  private final Parameter codebook; // [k]
  private final Tensor codes; // the weight's shape, float-valued codes

  SharedWeight(Module owner, String name, Shape shape, Parameter codebook, Tensor codes) {
    this.owner = owner;
    this.name = name;
    this.shape = shape;
    this.codebook = codebook;
    this.codes = codes;
  }

  /** The buffer name of the codes of parameter {@code name}: {@code weight_codes}. */
  public static String codesBuffer(String name) {
    return name + "_codes";
  }

  /** The buffer name of the centroids of parameter {@code name}: {@code weight_codebook}. */
  public static String codebookBuffer(String name) {
    return name + "_codebook";
  }

  @Override
  public Variable apply(Parameter p) {
    IntTensor idx = IntTensor.of(intCodes(true), shape.dims()); // the weight's shape
    Variable table = F.concat(0, codebook, ZERO); // [k + 1]
    return F.gather(table, idx);
  }

  /** The module that owns the weight. */
  public Module owner() {
    return owner;
  }

  /** The parameter's name in its module, e.g. {@code weight}. */
  public String name() {
    return name;
  }

  public Shape shape() {
    return shape;
  }

  /** The number of clusters k. */
  public int clusters() {
    return codebook.value().numel();
  }

  /** The trainable centroids [k]. */
  public Parameter codebook() {
    return codebook;
  }

  /** A copy of the centroids. */
  public float[] centroids() {
    return codebook.value().data().clone();
  }

  /** The codes, -1 for a pruned weight, 0..k-1 otherwise; a fresh array. */
  public int[] codes() {
    return intCodes(false);
  }

  /** codebook[code] per weight, 0 for code -1: the weight the layer computes with. */
  public Tensor materialize() {
    float[] c = codebook.value().data();
    int[] code = codes();
    Tensor w = Tensor.zeros(shape.dims());
    float[] out = w.data();
    for (int i = 0; i < out.length; i++) {
      out[i] = code[i] < 0 ? 0f : c[code[i]];
    }
    return w;
  }

  /** The codes as ints; code -1 becomes k (the appended zero) when forGather. */
  private int[] intCodes(boolean forGather) {
    int k = clusters();
    float[] c = codes.data();
    int[] out = new int[c.length];
    for (int i = 0; i < c.length; i++) {
      int code = (int) c[i];
      if (code != c[i] || code < -1 || code >= k) {
        throw new IllegalStateException(
            owner.describe()
                + ": "
                + codesBuffer(name)
                + "["
                + i
                + "] = "
                + c[i]
                + " is not a code in [-1, "
                + k
                + ")");
      }
      out[i] = forGather && code < 0 ? k : code;
    }
    return out;
  }
}
