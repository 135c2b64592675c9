package jcnn.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.tensor.Tensor;

/**
 * The base of every layer and network, after PyTorch's {@code nn.Module}: a module owns named
 * {@link Parameter}s (trained), buffers (plain {@link Tensor}s that are saved but not trained, such
 * as batch-norm running statistics and pruning masks) and child modules, each kept in insertion
 * order so that parameter lists, state dicts and printouts are deterministic.
 *
 * <p>Names are dotted paths from the root: a {@code Sequential} called {@code features} inside a
 * network has its first layer's weight at {@code features.0.weight}. Per module the order is its
 * own parameters, then its own buffers, then its children in registration order.
 *
 * <p><b>Reparametrisation.</b> Layers never read a parameter field directly in {@code forward}:
 * they call {@link #effective(String)}, which returns the parameter itself unless a {@link
 * WeightTransform} was installed with {@link #setTransform}. Compression uses this to make the
 * effective weight {@code orig * mask} (pruning) or {@code gather(codebook, indices)} (weight
 * sharing) without any change to layer code; {@link #setBuffer} lets it keep the mask or the
 * indices in the module so they are saved with the state dict.
 *
 * <p>Tested by {@code ModuleTest} (names, counts, state dict round trip and errors, train/eval,
 * transforms) and by the gradient checks of every layer.
 */
public abstract class Module {
  private final Map<String, Parameter> params = new LinkedHashMap<>();
  private final Map<String, Tensor> buffers = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private final Map<String, WeightTransform> transforms = new HashMap<>();
  private boolean training = true;

  /** The output for input x; the layer checks x's shape first. */
  public abstract Variable forward(Variable x);

  // ------------------------------------------------------------ registration

  protected final <P extends Parameter> P registerParameter(String name, P p) {
    checkNewName(name);
    params.put(name, p);
    return p;
  }

  protected final Tensor registerBuffer(String name, Tensor t) {
    checkNewName(name);
    buffers.put(name, t);
    return t;
  }

  protected final <M extends Module> M registerModule(String name, M m) {
    checkNewName(name);
    children.put(name, m);
    return m;
  }

  /**
   * Puts {@code m} in place of the child {@code name}, keeping its position: how a quantization
   * swaps an activation module for a binary one.
   */
  protected final void replaceChild(String name, Module m) {
    if (!children.containsKey(name) || m == null) {
      throw new IllegalArgumentException(describe() + ": no child '" + name + "' to replace");
    }
    children.put(name, m);
  }

  /**
   * The child registered as {@code name}, looked up now: containers call their children through
   * this in forward, so a child swapped in by {@link #replaceModule} is the one that runs.
   */
  protected final Module child(String name) {
    Module m = children.get(name);
    if (m == null) {
      throw new IllegalStateException(describe() + ": no child '" + name + "'");
    }
    return m;
  }

  /**
   * Puts {@code m} in place of the module at dotted path {@code path} (a key of {@link
   * #namedModules}, not the root itself): how compressed execution swaps a dense layer for one that
   * runs on compressed weights. Returns the module it replaced.
   */
  public final Module replaceModule(String path, Module m) {
    int dot = path.lastIndexOf('.');
    Module parent = dot < 0 ? this : namedModules().get(path.substring(0, dot));
    String name = path.substring(dot + 1);
    if (parent == null || !parent.children.containsKey(name)) {
      throw new IllegalArgumentException(describe() + ": no module at '" + path + "'");
    }
    Module old = parent.children.get(name);
    parent.replaceChild(name, m);
    return old;
  }

  private void checkNewName(String name) {
    if (name == null || name.isEmpty() || name.contains(".")) {
      throw new IllegalArgumentException(describe() + ": bad name '" + name + "'");
    }
    if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException(describe() + ": name '" + name + "' already registered");
    }
  }

  /**
   * Adds a buffer or replaces one of the same name, from outside the module: how compression
   * attaches a pruning mask ({@code weight_mask}) so that it is saved in the state dict.
   */
  public final Tensor setBuffer(String name, Tensor t) {
    if (buffers.containsKey(name)) {
      buffers.put(name, t);
      return t;
    }
    return registerBuffer(name, t);
  }

  /** Removes a buffer added by {@link #setBuffer}; returns it, or null if there was none. */
  public final Tensor removeBuffer(String name) {
    return buffers.remove(name);
  }

  // ------------------------------------------------------------ local lookup and transforms

  /** This module's own parameter {@code name} (not a dotted path). */
  public final Parameter parameter(String name) {
    Parameter p = params.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          describe() + ": no parameter '" + name + "' (has " + params.keySet() + ")");
    }
    return p;
  }

  /** This module's own buffer {@code name}, or null. */
  public final Tensor buffer(String name) {
    return buffers.get(name);
  }

  /**
   * The variable {@code forward} uses for parameter {@code name}: the parameter itself, or what the
   * transform installed for it makes of it (see the class comment).
   */
  public final Variable effective(String name) {
    Parameter p = parameter(name);
    WeightTransform t = transforms.get(name);
    if (t == null) {
      return p;
    }
    Variable v = t.apply(p);
    if (!v.shape().equals(p.shape())) {
      throw new IllegalStateException(
          describe() + ": transform of '" + name + "' gave " + v.shape() + ", not " + p.shape());
    }
    return v;
  }

  /** Installs (or, with null, removes) the transform applied to parameter {@code name}. */
  public final void setTransform(String name, WeightTransform t) {
    parameter(name); // fails on an unknown name
    if (t == null) {
      transforms.remove(name);
    } else {
      transforms.put(name, t);
    }
  }

  /** The transform installed for parameter {@code name}, or null. */
  public final WeightTransform transform(String name) {
    return transforms.get(name);
  }

  // ------------------------------------------------------------ modes

  /** Sets training mode on this module and all its descendants; returns this. */
  public final Module train(boolean on) {
    training = on;
    for (Module c : children.values()) {
      c.train(on);
    }
    return this;
  }

  public final Module train() {
    return train(true);
  }

  public final Module eval() {
    return train(false);
  }

  public final boolean isTraining() {
    return training;
  }

  // ------------------------------------------------------------ traversal

  /** Direct children in registration order. */
  public final List<Module> children() {
    return new ArrayList<>(children.values());
  }

  public final LinkedHashMap<String, Module> namedChildren() {
    return new LinkedHashMap<>(children);
  }

  /** This module (name "") and all descendants, pre-order, by dotted path. */
  public final LinkedHashMap<String, Module> namedModules() {
    LinkedHashMap<String, Module> out = new LinkedHashMap<>();
    collectModules("", out);
    return out;
  }

  private void collectModules(String prefix, Map<String, Module> out) {
    out.put(prefix, this);
    for (Map.Entry<String, Module> e : children.entrySet()) {
      e.getValue().collectModules(join(prefix, e.getKey()), out);
    }
  }

  /** Every parameter by dotted path; a parameter shared by two modules appears under both names. */
  public final LinkedHashMap<String, Parameter> namedParameters() {
    LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
    namedModules().forEach((path, m) -> m.params.forEach((n, p) -> out.put(join(path, n), p)));
    return out;
  }

  /**
   * Every distinct parameter in {@link #namedParameters} order (shared ones once, so an optimizer
   * steps each once).
   */
  public final List<Parameter> parameters() {
    Map<Parameter, Boolean> seen = new IdentityHashMap<>();
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : namedParameters().values()) {
      if (seen.put(p, Boolean.TRUE) == null) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * What an optimizer steps: {@link #parameters} with, right after each transformed one, the
   * parameters its {@link WeightTransform} trains itself (TTQ's scales). For a model without such
   * transforms this is exactly {@link #parameters}.
   */
  public final List<Parameter> trainableParameters() {
    Map<Parameter, Boolean> seen = new IdentityHashMap<>();
    List<Parameter> out = new ArrayList<>();
    for (Module m : namedModules().values()) {
      for (Map.Entry<String, Parameter> e : m.params.entrySet()) {
        if (seen.put(e.getValue(), Boolean.TRUE) != null) {
          continue; // a tied parameter is stepped once
        }
        out.add(e.getValue());
        WeightTransform t = m.transforms.get(e.getKey());
        for (Parameter q : t == null ? List.<Parameter>of() : t.parameters()) {
          if (seen.put(q, Boolean.TRUE) == null) {
            out.add(q);
          }
        }
      }
    }
    return out;
  }

  /**
   * Runs every installed transform's {@link WeightTransform#afterStep} on its parameter: call it
   * after each optimizer step (the trainer and the retrainer do).
   */
  public final void afterStep() {
    namedModules()
        .values()
        .forEach(m -> m.transforms.forEach((n, t) -> t.afterStep(m.params.get(n))));
  }

  public final LinkedHashMap<String, Tensor> namedBuffers() {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    namedModules().forEach((path, m) -> m.buffers.forEach((n, b) -> out.put(join(path, n), b)));
    return out;
  }

  /** The number of trainable values (elements of the distinct parameters). */
  public final long numParameters() {
    long n = 0;
    for (Parameter p : parameters()) {
      n += p.value().numel();
    }
    return n;
  }

  /** Zeroes the gradient of every parameter (see {@link Variable#zeroGrad}). */
  public final void zeroGrad() {
    for (Parameter p : parameters()) {
      p.zeroGrad();
    }
  }

  // ------------------------------------------------------------ state dict

  /**
   * Parameters and buffers by dotted path, per module its parameters then its buffers. The tensors
   * are the live ones, not copies: copy them for a snapshot.
   */
  public final LinkedHashMap<String, Tensor> stateDict() {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    namedModules()
        .forEach(
            (path, m) -> {
              m.params.forEach((n, p) -> out.put(join(path, n), p.value()));
              m.buffers.forEach((n, b) -> out.put(join(path, n), b));
            });
    return out;
  }

  /**
   * Copies {@code state}'s values into this module's parameters and buffers. The key sets must be
   * equal and every shape must match; otherwise nothing is copied and the exception lists each
   * missing key, unexpected key and {@code key: expected [..], got [..]}.
   */
  public final void loadStateDict(Map<String, Tensor> state) {
    Map<String, Tensor> mine = stateDict();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : mine.entrySet()) {
      Tensor given = state.get(e.getKey());
      if (given == null) {
        problems.add("missing key '" + e.getKey() + "'");
      } else if (!given.shape().equals(e.getValue().shape())) {
        problems.add(e.getKey() + ": expected " + e.getValue().shape() + ", got " + given.shape());
      }
    }
    for (String k : state.keySet()) {
      if (!mine.containsKey(k)) {
        problems.add("unexpected key '" + k + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "loadStateDict into " + describe() + ": " + String.join("; ", problems));
    }
    mine.forEach((k, t) -> t.copyFrom(state.get(k)));
  }

  private static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  // ------------------------------------------------------------ printing

  /** The layer's settings for printing, e.g. {@code 800 -> 500}; "" when it has none. */
  protected String extraRepr() {
    return "";
  }

  /** The class name with its settings, e.g. {@code Linear(800 -> 500)}: used in error messages. */
  public final String describe() {
    return getClass().getSimpleName() + "(" + extraRepr() + ")";
  }

  /** A shape error naming this layer: {@code Linear(800 -> 500): <detail>}. */
  protected final IllegalArgumentException shapeError(String detail) {
    return new IllegalArgumentException(describe() + ": " + detail);
  }

  /** A tree like PyTorch's: leaves print as {@link #describe}, containers list their children. */
  @Override
  public String toString() {
    if (children.isEmpty()) {
      return describe();
    }
    StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("(\n");
    if (!extraRepr().isEmpty()) {
      sb.append("  ").append(extraRepr()).append('\n');
    }
    for (Map.Entry<String, Module> e : children.entrySet()) {
      String child = e.getValue().toString().replace("\n", "\n  ");
      sb.append("  (").append(e.getKey()).append("): ").append(child).append('\n');
    }
    return sb.append(')').toString();
  }
}
