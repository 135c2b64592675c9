package jcnn.nn;

import java.util.List;
import jcnn.autograd.Variable;
import jcnn.backend.UnaryOp;

/**
 * Modules applied one after another; children are named "0", "1", ... in order, so the first
 * layer's weight is {@code 0.weight}. A {@link BatchNorm2d} directly followed by a {@link ReLU} or
 * {@link ReLU6} runs as one op ({@link BatchNorm2d#forward(Variable, UnaryOp)}: the same values and
 * gradients, in fewer passes over memory); the two stay separate modules, with their own names.
 * Tested in {@code ModuleTest} and {@code LayerGradTest}.
 */
public class Sequential extends Module {
  private int size;

  public Sequential(Module... layers) {
    for (Module m : layers) {
      add(m);
    }
  }

  /** Appends a layer, named by its position; returns this. */
  public Sequential add(Module m) {
    registerModule(String.valueOf(size), m);
    size++;
    return this;
  }

  /** The layer at position {@code i}. */
  public Module get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(describe() + ": no layer " + i + " of " + size);
    }
    return namedChildren().get(String.valueOf(i));
  }

  /** Replaces the layer at position {@code i} (it keeps its name); returns the one it replaced. */
  public Module set(int i, Module m) {
    Module old = get(i);
    replaceChild(String.valueOf(i), m);
    return old;
  }

  public int size() {
    return size;
  }

  @Override
  public Variable forward(Variable x) {
    Variable y = x;
    List<Module> layers = children();
    for (int i = 0; i < layers.size(); i++) {
      Module m = layers.get(i);
      UnaryOp act = i + 1 < layers.size() ? fusedActivation(m, layers.get(i + 1)) : null;
      if (act != null) {
        y = ((BatchNorm2d) m).forward(y, act);
        i++; // the activation ran inside
      } else {
        y = m.forward(y);
      }
    }
    return y;
  }

  /**
   * The activation to fuse into m, or null: m exactly a BatchNorm2d and next exactly a ReLU or
   * ReLU6 (a subclass may override forward, so it runs as written).
   */
  private static UnaryOp fusedActivation(Module m, Module next) {
    if (m.getClass() != BatchNorm2d.class) {
      return null;
    }
    if (next.getClass() == ReLU.class) {
      return UnaryOp.RELU;
    }
    return next.getClass() == ReLU6.class ? UnaryOp.RELU6 : null;
  }
}
