package jcnn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.nn.Parameter;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * The base of the optimizers: a fixed list of parameters updated in place from their gradients.
 *
 * <p>Call order, every training step: {@link #zeroGrad} -> forward -> {@code loss.backward()} ->
 * {@link #step}. Gradients accumulate across backward passes, so skipping zeroGrad sums the
 * gradients of several batches. A parameter whose gradient is null (not used by this forward, or
 * never reached) is skipped by step. For a schedule, call {@code setLr(schedule.lr(epoch))} at the
 * start of each epoch.
 *
 * <p>State for checkpoints: {@link #state} holds the per-parameter tensors under {@code
 * "<index>.<name>"} (index into the parameter list, e.g. {@code "0.momentum"}) plus {@code "step"},
 * the number of steps taken, as a one-element tensor; {@link #loadState} restores it. Tested in
 * {@code OptimizerTest}.
 */
public abstract class Optimizer {
  protected final List<Parameter> params;
  private double lr;
  private int steps;

  protected Optimizer(List<Parameter> params, double lr) {
    if (params.isEmpty()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": no parameters to optimize");
    }
    this.params = List.copyOf(params);
    setLr(lr);
  }

  /** Zeroes every parameter's gradient; call before each forward. */
  public void zeroGrad() {
    for (Parameter p : params) {
      p.zeroGrad();
    }
  }

  /** Updates every parameter that has a gradient; call after backward. */
  public final void step() {
    steps++;
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      if (p.grad() != null && p.requiresGrad()) {
        update(i, p);
      }
    }
  }

  /** Updates parameter {@code i} (whose gradient is not null) in place. */
  protected abstract void update(int i, Parameter p);

  public double lr() {
    return lr;
  }

  public void setLr(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + ": learning rate must be >= 0, got " + lr);
    }
    this.lr = lr;
  }

  /** The number of {@link #step} calls so far. */
  public int steps() {
    return steps;
  }

  public List<Parameter> params() {
    return params;
  }

  /** The per-parameter state names this optimizer keeps, e.g. {@code momentum}. */
  protected abstract List<String> stateNames();

  /** The shape of parameter i's state tensor {@code name}: by default the parameter's shape. */
  protected Shape stateShape(int i, String name) {
    return params.get(i).shape();
  }

  /** Parameter i's state tensor {@code name}, or null before it exists. */
  protected abstract Tensor stateTensor(int i, String name);

  /** Sets parameter i's state tensor {@code name} (a copy the optimizer may keep). */
  protected abstract void setStateTensor(int i, String name, Tensor t);

  /** A snapshot (copies) of the optimizer's state; see the class comment for the keys. */
  public LinkedHashMap<String, Tensor> state() {
    LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
    out.put("step", Tensor.scalar(steps));
    for (int i = 0; i < params.size(); i++) {
      for (String name : stateNames()) {
        Tensor t = stateTensor(i, name);
        if (t != null) {
          out.put(i + "." + name, t.copy());
        }
      }
    }
    return out;
  }

  /**
   * Restores a snapshot made by {@link #state} for the same parameter list. Every key is checked
   * before anything changes: an unknown key, a parameter index out of range or a shape that does
   * not match the parameter throws IllegalArgumentException naming the key.
   */
  public void loadState(Map<String, Tensor> state) {
    Tensor step = state.get("step");
    if (step == null || step.numel() != 1) {
      throw new IllegalArgumentException(name() + ".loadState: missing one-element key 'step'");
    }
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      if (!e.getKey().equals("step")) {
        checkStateKey(e.getKey(), e.getValue());
      }
    }
    checkComplete(state);
    for (int i = 0; i < params.size(); i++) {
      for (String name : stateNames()) {
        Tensor t = state.get(i + "." + name);
        setStateTensor(i, name, t == null ? null : t.copy());
      }
    }
    steps = Math.round(step.item());
  }

  private void checkStateKey(String key, Tensor t) {
    int dot = key.indexOf('.');
    String name = dot < 0 ? "" : key.substring(dot + 1);
    int i = -1;
    try {
      i = dot < 0 ? -1 : Integer.parseInt(key.substring(0, dot));
    } catch (NumberFormatException ex) {
      i = -1;
    }
    if (i < 0 || i >= params.size() || !stateNames().contains(name)) {
      throw new IllegalArgumentException(
          name()
              + ".loadState: unexpected key '"
              + key
              + "' (want <index>.<"
              + String.join("|", stateNames())
              + "> for "
              + params.size()
              + " parameters)");
    }
    Shape want = stateShape(i, name);
    if (!t.shape().equals(want)) {
      throw new IllegalArgumentException(
          name() + ".loadState: " + key + ": expected " + want + ", got " + t.shape());
    }
  }

  /** Each parameter has either all of its state tensors or none (it never stepped). */
  private void checkComplete(Map<String, Tensor> state) {
    for (int i = 0; i < params.size(); i++) {
      int present = 0;
      for (String name : stateNames()) {
        present += state.containsKey(i + "." + name) ? 1 : 0;
      }
      if (present != 0 && present != stateNames().size()) {
        throw new IllegalArgumentException(
            name() + ".loadState: parameter " + i + " needs all of " + stateNames() + " or none");
      }
    }
  }

  private String name() {
    return getClass().getSimpleName();
  }
}
