package jcnn.nn;

import jcnn.autograd.Variable;

/**
 * Modules applied one after another; children are named "0", "1", ... in order, so the first
 * layer's weight is {@code 0.weight}. Tested in {@code ModuleTest} and {@code LayerGradTest}.
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

  public int size() {
    return size;
  }

  @Override
  public Variable forward(Variable x) {
    Variable y = x;
    for (Module m : children()) {
      y = m.forward(y);
    }
    return y;
  }
}
