package jcnn.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jcnn.backend.Backend;
import jcnn.tensor.Tensor;

/**
 * Reverse-mode differentiation. The ops recorded while computing a value form a tape (a DAG of
 * {@link Function}s); {@link #backward} sorts the part reachable from the output topologically
 * (depth-first post-order), walks it from the output back, calls each op's {@code backward} and
 * sums the gradients of every value used more than once. Leaves that require grad accumulate into
 * {@link Variable#grad()}; intermediate gradients are dropped as soon as they are consumed, and the
 * graph is released afterwards (like PyTorch without retain_graph).
 *
 * <p>Anomaly check (on by default): a NaN or infinity in a gradient an op produces is reported at
 * once with the op's name and the input's shape, rather than propagated silently.
 */
public final class Autograd {
  private static volatile boolean detectAnomaly = true;

  private Autograd() {}

  /** Turns the per-op NaN/Inf check of backward on or off (on by default). */
  public static void setDetectAnomaly(boolean on) {
    detectAnomaly = on;
  }

  static void backward(Variable root, Tensor seed) {
    if (!seed.shape().equals(root.shape())) {
      throw new IllegalArgumentException(
          "backward: seed gradient " + seed.shape() + " does not match output " + root.shape());
    }
    if (!root.requiresGrad()) {
      throw new IllegalStateException(
          "backward: the output does not require grad (no parameter feeds it, or it was computed"
              + " under GradMode.noGrad())");
    }
    if (root.isLeaf()) {
      accumulateLeaf(jcnn.backend.Backends.current(), root, seed);
      return;
    }
    List<Variable> order = topologicalOrder(root);
    Map<Variable, Tensor> grads = new IdentityHashMap<>();
    grads.put(root, seed);
    for (int i = order.size() - 1; i >= 0; i--) {
      Variable v = order.get(i);
      Tensor g = grads.remove(v);
      Function fn = v.creator();
      if (g == null) {
        continue; // no path from the root carries gradient here
      }
      Variable[] in = fn.inputs();
      Tensor[] gin = fn.backward(g);
      for (int j = 0; j < in.length; j++) {
        if (gin[j] == null || !in[j].requiresGrad()) {
          continue;
        }
        if (detectAnomaly && fn.backend.hostMemory() && !fn.backend.allFinite(gin[j])) {
          throw new ArithmeticException(
              fn.name()
                  + " backward produced NaN or Inf in the gradient of input "
                  + j
                  + " (shape "
                  + in[j].shape()
                  + ") from a finite output gradient "
                  + g.shape());
        }
        if (in[j].isLeaf()) {
          accumulateLeaf(fn.backend, in[j], gin[j]);
        } else {
          Tensor prev = grads.get(in[j]);
          if (prev == null) {
            grads.put(in[j], gin[j] == g ? copyOf(fn.backend, g) : gin[j]);
          } else {
            fn.backend.axpby(1f, gin[j], 1f, prev);
          }
        }
      }
    }
    for (Variable v : order) {
      v.creator().release();
      v.dropCreator();
    }
  }

  /** A copy made by the backend (1 * t), so that on a GPU it never passes through the host. */
  private static Tensor copyOf(Backend backend, Tensor t) {
    Tensor copy = Tensor.zeros(t.shape());
    backend.axpby(1f, t, 0f, copy);
    return copy;
  }

  private static void accumulateLeaf(Backend backend, Variable leaf, Tensor g) {
    if (leaf.grad() == null) {
      leaf.setGrad(copyOf(backend, g));
    } else {
      backend.axpby(1f, g, 1f, leaf.grad());
    }
  }

  /** Non-leaf variables reachable from root, each after all the variables it depends on. */
  private static List<Variable> topologicalOrder(Variable root) {
    List<Variable> order = new ArrayList<>();
    Map<Variable, Boolean> visited = new IdentityHashMap<>();
    // Iterative DFS (deep ResNets would overflow a recursive one): frames of (variable, next
    // input).
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    visited.put(root, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Variable v = (Variable) frame[0];
      int next = (Integer) frame[1];
      Variable[] in = v.creator().inputs();
      if (next < in.length) {
        frame[1] = next + 1;
        Variable u = in[next];
        if (!u.isLeaf() && u.requiresGrad() && visited.put(u, Boolean.TRUE) == null) {
          stack.push(new Object[] {u, 0});
        }
      } else {
        stack.pop();
        order.add(v);
      }
    }
    return order;
  }
}
