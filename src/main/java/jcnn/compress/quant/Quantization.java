package jcnn.compress.quant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jcnn.compress.share.WeightSharing;
import jcnn.nn.AvgPool2d;
import jcnn.nn.BatchNorm2d;
import jcnn.nn.BinaryActivation;
import jcnn.nn.Conv2d;
import jcnn.nn.Dropout;
import jcnn.nn.Flatten;
import jcnn.nn.GlobalAvgPool;
import jcnn.nn.Linear;
import jcnn.nn.MaxPool2d;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.ParameterSlot;
import jcnn.nn.ReLU;
import jcnn.nn.ReLU6;
import jcnn.nn.Resize;
import jcnn.nn.Sequential;

/**
 * Binary and ternary training on a whole network: installs a {@link QuantizedWeight} on each chosen
 * layer weight through the {@link Module#setTransform} hook, and for BNN swaps the hidden
 * activations for {@link BinaryActivation}. The layer keeps its real-valued latent weight as its
 * parameter; the transform's straight-through gradient trains it.
 *
 * <p><b>Which weights.</b> The conv and linear weights (named {@code weight}, rank 4 or 2; biases
 * and batch norm stay float):
 *
 * <ul>
 *   <li>{@code binary}, {@code binary-stochastic}: all of them, the first and last layer included,
 *       as BinaryConnect and BNN do;
 *   <li>{@code ternary}, {@code ttq}: all but the first and the last layer, as TTQ does (Zhu et al.
 *       2017, "the first and the last layers keep full-precision weights");
 *   <li>{@code pattern}: the kxk filters with k &gt; 1 only (SEP-Net, Li et al. 2017: 1x1 filters
 *       "keep information as much as possible"), scaled per output channel, except the first layer,
 *       which sees the image.
 * </ul>
 *
 * <p><b>Call order.</b> {@code build the float network (and load its weights when fine-tuning) ->
 * apply -> train with model.trainableParameters(), calling model.afterStep() after each step ->
 * quantized(model) for the file, or bake(model)}. {@link jcnn.models.Models} applies the spec a
 * model name carries, so a model file rebuilds its quantization. Tested by {@code
 * QuantizationTest}.
 */
public final class Quantization {
  /** The leaf modules a network with binary activations may hold. */
  private static final Set<Class<?>> PLAIN =
      Set.of(
          Sequential.class,
          Conv2d.class,
          Linear.class,
          BatchNorm2d.class,
          ReLU.class,
          ReLU6.class,
          MaxPool2d.class,
          AvgPool2d.class,
          GlobalAvgPool.class,
          Flatten.class,
          Dropout.class,
          Resize.class);

  private Quantization() {}

  /**
   * Installs spec on root (a float network whose weights are those to start from) and returns the
   * quantized weights by dotted path. Layer l's stochastic draws are seeded from {@code seed} and
   * l. Checks everything before changing anything: a weight that already has a transform (pruned or
   * shared) and binary activations on a network that cannot take them are errors.
   */
  public static LinkedHashMap<String, QuantizedWeight> apply(
      Module root, QuantSpec spec, long seed) {
    List<ParameterSlot> chosen = chosen(root, spec.weights());
    for (ParameterSlot s : chosen) {
      if (s.transform() != null) {
        throw new IllegalArgumentException(
            s.path()
                + " already has a transform ("
                + s.transform().getClass().getSimpleName()
                + "); "
                + spec.weights().cliName()
                + " weights are trained from plain float weights");
      }
    }
    List<Swap> swaps = spec.binaryActivations() ? activationSwaps(root) : List.of();
    LinkedHashMap<String, QuantizedWeight> out = new LinkedHashMap<>();
    long layer = 0;
    for (ParameterSlot s : chosen) {
      QuantizedWeight q =
          switch (spec.weights()) {
            case BINARY -> new BinaryWeight(s.owner(), s.name(), false, spec.scaled(), 0);
            case BINARY_STOCHASTIC ->
                new BinaryWeight(
                    s.owner(), s.name(), true, spec.scaled(), seed * 1_000_003L + layer);
            case PATTERN -> new BinaryWeight(s.owner(), s.name(), false, true, 0);
            case TERNARY -> new TernaryWeight(s.owner(), s.name());
            case TTQ -> new TtqWeight(s.owner(), s.name());
            case FLOAT -> throw new IllegalStateException("float weights are not quantized");
          };
      layer++;
      s.owner().setTransform(s.name(), q);
      q.afterStep(s.param()); // a binary latent weight starts inside [-1, 1]
      out.put(s.path(), q);
    }
    for (Swap w : swaps) {
      w.seq.set(w.index, new BinaryActivation());
    }
    return out;
  }

  /** The weights mode would quantize, in model order. */
  static List<ParameterSlot> chosen(Module root, WeightMode mode) {
    List<ParameterSlot> weights = new ArrayList<>();
    for (ParameterSlot s : ParameterSlot.all(root)) {
      if (WeightSharing.isConvOrLinearWeight(s.path(), s.param())) {
        weights.add(s);
      }
    }
    List<ParameterSlot> out = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      ParameterSlot s = weights.get(i);
      boolean end = i == 0 || i == weights.size() - 1;
      boolean take =
          switch (mode) {
            case FLOAT -> false;
            case BINARY, BINARY_STOCHASTIC -> true;
            case TERNARY, TTQ -> !end;
            case PATTERN -> i > 0 && isSpatial(s.param());
          };
      if (take) {
        out.add(s);
      }
    }
    return out;
  }

  /** A conv filter larger than 1x1. */
  private static boolean isSpatial(Parameter p) {
    return p.shape().rank() == 4 && p.shape().dim(2) * p.shape().dim(3) > 1;
  }

  /** Every quantized weight of root by dotted path. */
  public static LinkedHashMap<String, QuantizedWeight> quantized(Module root) {
    LinkedHashMap<String, QuantizedWeight> out = new LinkedHashMap<>();
    for (ParameterSlot s : ParameterSlot.all(root)) {
      if (s.transform() instanceof QuantizedWeight q) {
        out.put(s.path(), q);
      }
    }
    return out;
  }

  /** Whether any weight of root is binarized or ternarized. */
  public static boolean isQuantized(Module root) {
    return !quantized(root).isEmpty();
  }

  /**
   * Writes each quantized weight's inference levels into its parameter and removes the transforms
   * and their buffers: the network then computes in plain float what it computed quantized. Returns
   * how many were baked. Binary activations stay.
   */
  public static int bake(Module root) {
    Map<String, QuantizedWeight> all = quantized(root);
    for (QuantizedWeight q : all.values()) {
      Module m = q.owner();
      Parameter p = q.latent();
      p.value().copyFrom(q.materialize());
      m.setTransform(q.name(), null);
      q.buffers().forEach(m::removeBuffer);
    }
    return all.size();
  }

  private record Swap(String path, Sequential seq, int index) {}

  /**
   * The activations that binary activations replace: every ReLU or ReLU6 of a plain feed-forward
   * network, each directly after a batch norm. Anything else is an error naming the module.
   */
  private static List<Swap> activationSwaps(Module root) {
    List<Swap> out = new ArrayList<>();
    for (Map.Entry<String, Module> e : root.namedModules().entrySet()) {
      Module m = e.getValue();
      String where = e.getKey().isEmpty() ? "the network" : "layer " + e.getKey();
      if (!PLAIN.contains(m.getClass())) {
        throw new IllegalArgumentException(
            "--activations binary needs a plain feed-forward network of conv, linear, batch norm,"
                + " ReLU, pooling and dropout layers; "
                + where
                + " is a "
                + m.getClass().getSimpleName()
                + ", whose inner activations cannot be swapped");
      }
      if (!(m instanceof Sequential seq)) {
        continue;
      }
      for (int i = 0; i < seq.size(); i++) {
        Class<?> c = seq.get(i).getClass();
        if (c != ReLU.class && c != ReLU6.class) {
          continue;
        }
        String path = (e.getKey().isEmpty() ? "" : e.getKey() + ".") + i;
        if (i == 0 || seq.get(i - 1).getClass() != BatchNorm2d.class) {
          throw new IllegalArgumentException(
              "--activations binary needs a batch norm before every activation (BNN); layer "
                  + path
                  + " ("
                  + c.getSimpleName()
                  + ") follows "
                  + (i == 0 ? "nothing in its block" : seq.get(i - 1).getClass().getSimpleName()));
        }
        out.add(new Swap(path, seq, i));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "--activations binary: the network has no ReLU after a batch norm to binarize");
    }
    return out;
  }
}
