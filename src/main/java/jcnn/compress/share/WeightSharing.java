package jcnn.compress.share;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.ParameterSlot;
import jcnn.nn.WeightTransform;
import jcnn.tensor.Tensor;

/**
 * Deep Compression's weight sharing on a whole network (Han et al. 2016, Sec. 3): every chosen
 * weight is clustered per layer by {@link KMeans1D} into k shared values (k from a {@link
 * ClusterCount}, Tzelepis' Eq. (1) by default) and rewired as {@code weight = gather(codebook,
 * codes)} through the {@link Module#setTransform} hook ({@link SharedWeight}). Fine-tuning then
 * trains only the centroids, each receiving the summed gradient of its cluster.
 *
 * <p><b>Call order.</b> {@code prune -> bake the pruning -> apply -> train with
 * trainableParameters(model) -> shared(model) for the file codec, or bake(model)}.
 *
 * <ul>
 *   <li><b>After pruning.</b> Sharing runs on plain weights in which pruned connections are exact
 *       zeros, i.e. after the pruning transform ({@code weight = orig * mask}) has been baked.
 *       Zeros get code -1 and stay zero through fine-tuning. A weight that still has a transform is
 *       refused, so a live mask is never silently ignored.
 *   <li><b>The original is frozen.</b> The dense {@code weight} parameter stays registered (a
 *       module cannot drop one from outside), keeps its pre-sharing values and is set to
 *       requiresGrad = false, so optimizers skip it. The centroids are not module parameters (see
 *       {@link SharedWeight}), so build the optimizer from {@link #trainableParameters}, not from
 *       {@code model.parameters()}.
 *   <li><b>Saving.</b> The codes and centroids are buffers {@code <name>_codes} and {@code
 *       <name>_codebook}, so state dicts and checkpoints carry them; loading one needs a model with
 *       the same sharing installed (apply, or {@link #install} from a decoded file).
 * </ul>
 *
 * <p>By default the shared weights are those named {@code weight} of rank 2 (linear) or 4 (conv,
 * depthwise included); biases and batch-norm parameters are left alone unless a selector asks for
 * them. Every layer uses the same {@link KMeans1D} settings, seed included. Tested by {@code
 * WeightSharingTest}.
 */
public final class WeightSharing {
  private final ClusterCount count;
  private final KMeans1D kmeans;

  public WeightSharing(ClusterCount count, KMeans1D kmeans) {
    if (count == null || kmeans == null) {
      throw new IllegalArgumentException("WeightSharing: cluster count and k-means are required");
    }
    this.count = count;
    this.kmeans = kmeans;
  }

  /** The default: Eq. (1) as Tzelepis' code computes it, linear init, up to 300 iterations. */
  public static WeightSharing tzelepis(long seed) {
    return new WeightSharing(ClusterCount.theirCode(), KMeans1D.linear(seed));
  }

  /** The default selector: a parameter named {@code weight} of rank 2 or 4. */
  public static boolean isConvOrLinearWeight(String path, Parameter p) {
    String local = path.substring(path.lastIndexOf('.') + 1);
    int rank = p.shape().rank();
    return local.equals("weight") && (rank == 2 || rank == 4);
  }

  /** Shares every conv and linear weight of root; returns them by dotted path. */
  public LinkedHashMap<String, SharedWeight> apply(Module root) {
    return apply(root, WeightSharing::isConvOrLinearWeight);
  }

  /**
   * Shares the parameters that select accepts (given the dotted path and the parameter). Checks
   * every chosen one before changing anything.
   */
  public LinkedHashMap<String, SharedWeight> apply(
      Module root, BiPredicate<String, Parameter> select) {
    List<ParameterSlot> chosen = new ArrayList<>();
    Map<Parameter, String> seen = new IdentityHashMap<>();
    for (ParameterSlot s : ParameterSlot.all(root)) {
      if (select.test(s.path(), s.param())) {
        String first = seen.put(s.param(), s.path());
        if (first != null) {
          // Sharing a tied weight would rewire one of its uses and leave the other dense.
          throw new IllegalArgumentException(
              "WeightSharing: " + s.path() + " is the same parameter as " + first + " (tied)");
        }
        WeightTransform t = s.owner().transform(s.name());
        if (t != null) {
          throw new IllegalArgumentException(
              "WeightSharing: "
                  + s.path()
                  + " already has a transform ("
                  + t.getClass().getSimpleName()
                  + "); bake pruning or earlier sharing first, sharing reads pruned weights as"
                  + " exact zeros");
        }
        chosen.add(s);
      }
    }
    LinkedHashMap<String, SharedWeight> out = new LinkedHashMap<>();
    for (ParameterSlot s : chosen) {
      float[] w = s.param().value().data();
      int k = count.clusters(s.param().shape(), nonZero(w));
      KMeans1D.Result r = kmeans.fit(w, k);
      out.put(s.path(), install(s.owner(), s.name(), r.codebook, r.codes));
    }
    return out;
  }

  /**
   * Rewires owner's parameter {@code name} as gather(codebook, codes) with the given values: what
   * {@link #apply} does after clustering, and how a decoded compressed file is put back into a
   * model. codes has one entry per weight, in [-1, codebook.length).
   */
  public static SharedWeight install(Module owner, String name, float[] codebook, int[] codes) {
    Parameter p = owner.parameter(name);
    String where = owner.describe() + "." + name;
    if (owner.transform(name) != null) {
      throw new IllegalArgumentException("WeightSharing.install: " + where + " has a transform");
    }
    int k = codebook.length;
    if (k < 1 || codes.length != p.value().numel()) {
      throw new IllegalArgumentException(
          "WeightSharing.install: "
              + where
              + " "
              + p.shape()
              + " needs "
              + p.value().numel()
              + " codes and k >= 1 centroids, got "
              + codes.length
              + " codes and k = "
              + k);
    }
    float[] codeValues = new float[codes.length];
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] < -1 || codes[i] >= k) {
        throw new IllegalArgumentException(
            "WeightSharing.install: " + where + " code " + i + " = " + codes[i] + ", k = " + k);
      }
      codeValues[i] = codes[i];
    }
    Parameter centroids = new Parameter(Tensor.of(codebook.clone(), k));
    Tensor codeTensor = Tensor.of(codeValues, p.shape().dims());
    owner.setBuffer(SharedWeight.codesBuffer(name), codeTensor);
    owner.setBuffer(SharedWeight.codebookBuffer(name), centroids.value());
    SharedWeight sw = new SharedWeight(owner, name, p.shape(), centroids, codeTensor);
    owner.setTransform(name, sw);
    p.requiresGrad(false);
    return sw;
  }

  /** Every shared weight of root by dotted path: per layer its codes and codebook for the codec. */
  public static LinkedHashMap<String, SharedWeight> shared(Module root) {
    LinkedHashMap<String, SharedWeight> out = new LinkedHashMap<>();
    for (ParameterSlot s : ParameterSlot.all(root)) {
      WeightTransform t = s.owner().transform(s.name());
      if (t instanceof SharedWeight) {
        out.put(s.path(), (SharedWeight) t);
      }
    }
    return out;
  }

  /**
   * What an optimizer should update, in model order: each shared weight's centroids in its place,
   * and every other parameter that requires grad (the frozen dense originals are left out).
   */
  public static List<Parameter> trainableParameters(Module root) {
    List<Parameter> out = new ArrayList<>();
    Map<Parameter, Boolean> seen = new IdentityHashMap<>();
    for (ParameterSlot s : ParameterSlot.all(root)) {
      if (seen.put(s.param(), Boolean.TRUE) != null) {
        continue; // a tied parameter is stepped once
      }
      WeightTransform t = s.owner().transform(s.name());
      if (t instanceof SharedWeight) {
        out.add(((SharedWeight) t).codebook());
      } else if (s.param().requiresGrad()) {
        out.add(s.param());
      }
    }
    return out;
  }

  /**
   * Writes codebook[code] (0 for pruned) into every shared weight, removes the transforms and the
   * two buffers, and makes the weights trainable again. Returns how many were baked.
   */
  public static int bake(Module root) {
    LinkedHashMap<String, SharedWeight> all = shared(root);
    for (SharedWeight sw : all.values()) {
      Module m = sw.owner();
      Parameter p = m.parameter(sw.name());
      p.value().copyFrom(sw.materialize());
      m.setTransform(sw.name(), null);
      m.removeBuffer(SharedWeight.codesBuffer(sw.name()));
      m.removeBuffer(SharedWeight.codebookBuffer(sw.name()));
      p.requiresGrad(true);
    }
    return all.size();
  }

  private static int nonZero(float[] w) {
    int n = 0;
    for (float v : w) {
      if (v != 0f) {
        n++;
      }
    }
    return n;
  }
}
