package jcnn.compress.prune;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.WeightTransform;
import jcnn.tensor.Tensor;

/**
 * Pruning as reparametrisation, after PyTorch's {@code torch.nn.utils.prune} (STYLE rule 6): a
 * pruned parameter {@code weight} keeps its trained tensor (the "orig") and gets a buffer {@code
 * weight_mask} of 1s (kept) and 0s (pruned) plus a transform so that the layer's effective weight
 * is {@code orig * mask}. Masked retraining then needs nothing special: the gradient that reaches
 * orig is the effective weight's gradient times the mask.
 *
 * <p><b>Pruned weights stay exactly zero, structurally.</b> The effective weight is zero where the
 * mask is zero whatever orig holds. On top of that {@link #applyMasks} zeroes orig itself there, so
 * baking is clean and the optimizers cannot move it: with orig = 0 and gradient = 0, SGD's weight
 * decay term {@code wd * orig} is 0, its velocity {@code momentum * v + 0} stays 0, and Adam's m
 * and v stay 0, so the update is 0. The one way in is optimizer state left over from before the
 * prune (a nonzero velocity at a newly pruned entry): build a new optimizer after pruning, or pass
 * its state through {@link #maskOptimizerState}. No per-step "re-apply the mask" hook is needed;
 * {@link #enforce} exists for code that writes orig directly.
 *
 * <p><b>Saving and loading.</b> The state dict holds {@code <path>.weight} (orig, zero where
 * pruned) and {@code <path>.weight_mask}, so a pruned model saves like any other. A fresh model has
 * no mask buffers, so load with {@link #restore}: it installs a mask and transform for every {@code
 * *_mask} key that names a parameter, then loads. {@link #bake} turns a pruned model back into a
 * plain one (zeros in the weights, no masks) that loads with {@code loadStateDict}.
 *
 * <p>Names are the dotted parameter paths of {@link Module#namedParameters}, e.g. {@code
 * features.0.weight}; a mask map is keyed by them. Tested in {@code PruningTest} and {@code
 * PruningOptimizerTest}.
 */
public final class Pruning {
  /** A pruned parameter {@code p} has its mask in the buffer {@code p + MASK_SUFFIX}. */
  public static final String MASK_SUFFIX = "_mask";

  private Pruning() {}

  /** Where a dotted parameter name lives: its module, its local name and the parameter. */
  record Slot(Module owner, String local, Parameter param, boolean shared) {
    String maskName() {
      return local + MASK_SUFFIX;
    }

    Tensor mask() {
      return owner.buffer(maskName());
    }

    boolean pruned() {
      return owner.transform(local) instanceof MaskTransform;
    }
  }

  /** Every parameter of model by dotted name, marked when two names share one parameter. */
  static LinkedHashMap<String, Slot> slots(Module model) {
    LinkedHashMap<String, Module> modules = model.namedModules();
    LinkedHashMap<String, Parameter> params = model.namedParameters();
    Map<Parameter, Integer> uses = new IdentityHashMap<>();
    params.values().forEach(p -> uses.merge(p, 1, Integer::sum));
    LinkedHashMap<String, Slot> out = new LinkedHashMap<>();
    params.forEach(
        (name, p) -> {
          int dot = name.lastIndexOf('.');
          Module owner = modules.get(dot < 0 ? "" : name.substring(0, dot));
          out.put(name, new Slot(owner, name.substring(dot + 1), p, uses.get(p) > 1));
        });
    return out;
  }

  // ------------------------------------------------------------ what is prunable

  /** The conv and linear weights: parameters named {@code weight} of rank 2 or 4. */
  public static LinkedHashMap<String, Parameter> prunableParameters(Module model) {
    return prunableParameters(model, false);
  }

  /**
   * The default set, or with {@code includeAll} every parameter (biases, batch-norm gamma and beta
   * too), in network order. A parameter with a transform other than a pruning mask (a binary or
   * ternary weight, a shared one) is never prunable: its mask would replace that transform. The
   * binary and ternary layers of a quantized network are stored at 1 or 2 bits, not pruned.
   */
  public static LinkedHashMap<String, Parameter> prunableParameters(
      Module model, boolean includeAll) {
    LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
    slots(model)
        .forEach(
            (name, s) -> {
              int rank = s.param().shape().rank();
              WeightTransform t = s.owner().transform(s.local());
              boolean free = t == null || t instanceof MaskTransform;
              if (free
                  && (includeAll || (s.local().equals("weight") && (rank == 2 || rank == 4)))) {
                out.put(name, s.param());
              }
            });
    return out;
  }

  /** The live values (orig) of the named parameters, in the given order; read only. */
  public static LinkedHashMap<String, Tensor> values(Module model, Iterable<String> names) {
    LinkedHashMap<String, Slot> slots = slots(model);
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    for (String n : names) {
      out.put(n, slot(slots, n, "Pruning.values").param().value());
    }
    return out;
  }

  private static Slot slot(Map<String, Slot> slots, String name, String op) {
    Slot s = slots.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          op + ": no parameter '" + name + "' (has " + slots.keySet() + ")");
    }
    return s;
  }

  // ------------------------------------------------------------ masks

  /**
   * Prunes the named parameters with the given masks (1 keep, 0 prune; copied): installs {@code
   * weight_mask} and the transform, replacing an earlier mask, and zeroes orig where the mask is 0.
   * Parameters not named are left as they are. The masks are set as given, not merged with the
   * current ones (the criteria are what keep pruning monotone). Everything is checked first: an
   * unknown name, a shape that differs from the parameter's, a value other than 0 or 1, or a
   * parameter shared by two modules throws IllegalArgumentException listing each problem, and
   * nothing changes.
   */
  public static void applyMasks(Module model, Map<String, Tensor> masks) {
    LinkedHashMap<String, Slot> slots = slots(model);
    List<String> problems = new ArrayList<>();
    masks.forEach((name, mask) -> checkMask(slots.get(name), name, mask, problems));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Pruning.applyMasks: " + String.join("; ", problems));
    }
    masks.forEach((name, mask) -> install(slots.get(name), mask.copy()));
  }

  private static void checkMask(Slot s, String name, Tensor mask, List<String> problems) {
    if (s == null) {
      problems.add("no parameter '" + name + "'");
    } else if (!mask.shape().equals(s.param().shape())) {
      problems.add(name + ": mask " + mask.shape() + " for parameter " + s.param().shape());
    } else if (!isBinary(mask)) {
      problems.add(name + ": mask values must be 0 or 1");
    } else if (s.shared()) {
      problems.add(name + ": parameter is shared by two modules; pruning it is not supported");
    }
  }

  private static boolean isBinary(Tensor mask) {
    float[] m = mask.data();
    for (int i = 0, n = mask.numel(); i < n; i++) {
      if (m[i] != 0f && m[i] != 1f) {
        return false;
      }
    }
    return true;
  }

  /** Sets the mask buffer (this tensor, not a copy), the transform, and zeroes orig under it. */
  private static void install(Slot s, Tensor mask) {
    s.owner().setBuffer(s.maskName(), mask);
    s.owner().setTransform(s.local(), new MaskTransform(s.owner(), s.maskName()));
    multiplyInPlace(s.param().value(), mask);
  }

  /** Removes the transform and the mask buffer; orig is left as it is. */
  private static void uninstall(Slot s) {
    s.owner().setTransform(s.local(), null);
    s.owner().removeBuffer(s.maskName());
  }

  /**
   * x *= mask for a 0/1 mask, writing +0 (not the -0 a negative value times 0 gives) so that a
   * pruned entry is bit-for-bit zero for whatever reads it next.
   */
  static void multiplyInPlace(Tensor x, Tensor mask) {
    float[] v = x.data();
    float[] m = mask.data();
    for (int i = 0, n = x.numel(); i < n; i++) {
      v[i] = m[i] == 0f ? 0f : v[i] * m[i];
    }
  }

  /** The masks of the pruned parameters (copies), by dotted name in network order. */
  public static LinkedHashMap<String, Tensor> masks(Module model) {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    slots(model).forEach((name, s) -> putIf(out, name, s));
    return out;
  }

  private static void putIf(Map<String, Tensor> out, String name, Slot s) {
    if (s.pruned()) {
      out.put(name, s.mask().copy());
    }
  }

  /** True when parameter {@code name} has a pruning mask installed. */
  public static boolean isPruned(Module model, String name) {
    return slot(slots(model), name, "Pruning.isPruned").pruned();
  }

  /** Global and per-layer fraction of zeros; see {@link Sparsity#of}. */
  public static Sparsity sparsity(Module model) {
    return Sparsity.of(model);
  }

  /**
   * Sets orig to zero wherever its mask is zero, for every pruned parameter. Not needed in training
   * (see the class comment); for code that wrote orig directly.
   */
  public static void enforce(Module model) {
    slots(model).values().stream()
        .filter(Slot::pruned)
        .forEach(s -> multiplyInPlace(s.param().value(), s.mask()));
  }

  /**
   * Makes the model plain again: orig *= mask, then the transform and the mask buffer are removed,
   * so the state dict is that of an unpruned model (pruned entries are zeros in the weights, which
   * a sparse encoder finds by value). Returns the masks removed, for a caller that still wants
   * them.
   */
  public static LinkedHashMap<String, Tensor> bake(Module model) {
    LinkedHashMap<String, Tensor> removed = new LinkedHashMap<>();
    slots(model)
        .forEach(
            (name, s) -> {
              if (s.pruned()) {
                multiplyInPlace(s.param().value(), s.mask());
                removed.put(name, s.mask());
                uninstall(s);
              }
            });
    return removed;
  }

  // ------------------------------------------------------------ saving, loading, snapshots

  /** A deep copy of the state dict, masks included: what {@link #restore} takes back. */
  public static LinkedHashMap<String, Tensor> snapshot(Module model) {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    model.stateDict().forEach((k, t) -> out.put(k, t.copy()));
    return out;
  }

  /**
   * Loads a state dict that may hold pruning masks, into a fresh or a pruned model: the model ends
   * with exactly the masks named by {@code state}'s {@code <param>_mask} keys (masks it has that
   * the state lacks are removed), then every value is loaded and orig is zeroed under the masks. A
   * key ending in {@code _mask} counts as a mask only where the rest names a parameter. On any
   * problem (a bad mask, or one {@code loadStateDict} reports) the model is left as it was and
   * IllegalArgumentException says what is wrong.
   */
  public static void restore(Module model, Map<String, Tensor> state) {
    LinkedHashMap<String, Slot> slots = slots(model);
    LinkedHashMap<String, Tensor> wanted = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    state.forEach(
        (key, t) -> {
          String name = key.substring(0, Math.max(0, key.length() - MASK_SUFFIX.length()));
          if (!key.endsWith(MASK_SUFFIX) || !slots.containsKey(name)) {
            return; // a parameter or an ordinary buffer
          }
          checkMask(slots.get(name), key, t, problems);
          wanted.put(name, Tensor.full(1f, t.shape().dims())); // the values come with the load
        });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Pruning.restore: " + String.join("; ", problems));
    }
    LinkedHashMap<String, Tensor> before = new LinkedHashMap<>();
    slots.forEach((name, s) -> before.put(name, s.pruned() ? s.mask() : null));
    setMaskBuffers(slots, wanted);
    try {
      model.loadStateDict(state);
    } catch (IllegalArgumentException e) {
      setMaskBuffers(slots, before);
      throw e;
    }
    enforce(model);
  }

  /**
   * Gives each slot exactly the mask buffer in {@code buffers} (the tensor itself) and the
   * transform, or none where the map has none; orig is not touched.
   */
  private static void setMaskBuffers(Map<String, Slot> slots, Map<String, Tensor> buffers) {
    slots.forEach(
        (name, s) -> {
          Tensor mask = buffers.get(name);
          if (mask == null) {
            if (s.pruned()) {
              uninstall(s);
            }
          } else {
            s.owner().setBuffer(s.maskName(), mask);
            s.owner().setTransform(s.local(), new MaskTransform(s.owner(), s.maskName()));
          }
        });
  }

  // ------------------------------------------------------------ optimizer state

  /**
   * Zeroes an optimizer's per-parameter state (SGD velocity, Adam m and v) where the model's masks
   * are zero, in place in {@code state}: a snapshot in the format of {@code Optimizer.state()}
   * (keys {@code "<index>.<name>"}, index into {@code params}, the optimizer's parameter list).
   * Call it after pruning when the same optimizer goes on training, so that momentum gathered
   * before the prune cannot move orig away from zero:
   *
   * <pre>{@code
   * LinkedHashMap<String, Tensor> s = opt.state();
   * Pruning.maskOptimizerState(model, opt.params(), s);
   * opt.loadState(s);
   * }</pre>
   *
   * (It takes the pieces rather than the {@code Optimizer}: {@code jcnn.optim} sits beside this
   * package, not below it.) Per-parameter step counts ({@code "<i>.step"}) and tensors of another
   * shape than their parameter are left alone.
   */
  public static void maskOptimizerState(
      Module model, List<Parameter> params, Map<String, Tensor> state) {
    Map<Parameter, Tensor> maskOf = new IdentityHashMap<>();
    slots(model).values().stream()
        .filter(Slot::pruned)
        .forEach(s -> maskOf.put(s.param(), s.mask()));
    state.forEach(
        (key, t) -> {
          int dot = key.indexOf('.');
          if (dot > 0 && !key.substring(dot + 1).equals("step")) {
            int i = Integer.parseInt(key.substring(0, dot));
            if (i < 0 || i >= params.size()) {
              throw new IllegalArgumentException(
                  "Pruning.maskOptimizerState: key '" + key + "' but " + params.size() + " params");
            }
            Parameter p = params.get(i);
            Tensor mask = maskOf.get(p);
            if (mask != null && t.shape().equals(p.shape())) {
              multiplyInPlace(t, mask);
            }
          }
        });
  }
}
