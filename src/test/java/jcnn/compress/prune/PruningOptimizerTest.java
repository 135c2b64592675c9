package jcnn.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.optim.Adam;
import jcnn.optim.Optimizer;
import jcnn.optim.Sgd;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Masked retraining with the real optimizers: pruned entries of the effective weight, of orig and
 * of the optimizer state (SGD velocity, Adam m and v) stay exactly zero over steps with momentum
 * 0.9 and weight decay 5e-4, while the kept entries train. Also shows the one hazard, momentum from
 * before the prune, moving orig, and that {@link Pruning#maskOptimizerState} removes it.
 */
class PruningOptimizerTest {
  private static final int STEPS = 6;

  /** The three-line recipe of {@link Pruning#maskOptimizerState}. */
  private static void maskState(Optimizer opt, Module net) {
    LinkedHashMap<String, Tensor> s = opt.state();
    Pruning.maskOptimizerState(net, opt.params(), s);
    opt.loadState(s);
  }

  private static void step(Module net, Optimizer opt, int s) {
    opt.zeroGrad();
    TinyNet.loss(net, 100 + s).backward();
    opt.step();
  }

  /**
   * Asserts that every pruned entry is zero in orig, in the effective weight and in each of the
   * optimizer's state tensors of that parameter; returns how many kept entries differ from start.
   */
  private static int checkPrunedZero(
      Module net, Optimizer opt, Map<String, Tensor> masks, Map<String, Tensor> start) {
    Map<String, Tensor> state = opt.state();
    List<Parameter> params = opt.params();
    int moved = 0;
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      String name = e.getKey();
      Parameter p = net.namedParameters().get(name);
      String local = name.substring(name.lastIndexOf('.') + 1);
      Module owner = net.namedModules().get(name.substring(0, name.lastIndexOf('.')));
      float[] eff = owner.effective(local).value().data();
      float[] m = e.getValue().data();
      int index = params.indexOf(p);
      for (int i = 0; i < m.length; i++) {
        if (m[i] == 0f) {
          assertTrue(p.value().data()[i] == 0f, name + " orig at " + i);
          assertTrue(eff[i] == 0f, name + " effective at " + i);
          for (String key : List.of("momentum", "m", "v")) {
            Tensor t = state.get(index + "." + key);
            assertTrue(t == null || t.data()[i] == 0f, name + " " + key + " at " + i);
          }
        } else if (p.value().data()[i] != start.get(name).data()[i]) {
          moved++;
        }
      }
    }
    return moved;
  }

  private void trainPruned(Module net, Optimizer opt) {
    Map<String, Tensor> masks = Pruning.masks(net);
    Map<String, Tensor> start = Pruning.snapshot(net);
    for (int s = 0; s < STEPS; s++) {
      step(net, opt, s);
      checkPrunedZero(net, opt, masks, start);
    }
    assertTrue(checkPrunedZero(net, opt, masks, start) > 0, "kept weights trained");
    assertEquals(Math.round(0.6 * 42), Pruning.sparsity(net).zeros());
  }

  @Test
  void sgdWithMomentumAndWeightDecayKeepsPrunedEntriesZero() {
    Module net = TinyNet.create(11);
    OneShot.prune(net, PruneCriterion.global(), 0.6);
    trainPruned(net, new Sgd(net.parameters(), 0.1, 0.9, 5e-4, false));
  }

  @Test
  void nesterovKeepsPrunedEntriesZero() {
    Module net = TinyNet.create(12);
    OneShot.prune(net, PruneCriterion.uniform(), 0.6);
    trainPruned(net, new Sgd(net.parameters(), 0.1, 0.9, 5e-4, true));
  }

  @Test
  void adamWithWeightDecayKeepsPrunedEntriesZero() {
    Module net = TinyNet.create(13);
    OneShot.prune(net, PruneCriterion.global(), 0.6);
    trainPruned(net, new Adam(net.parameters(), 0.01, 0.9, 0.999, 1e-8, 5e-4));
  }

  /** Dense steps to build momentum, then a prune, then steps with the same optimizer. */
  private static float origAfterPruneWithOldMomentum(boolean maskState) {
    Module net = TinyNet.create(14);
    Sgd opt = new Sgd(net.parameters(), 0.1, 0.9, 5e-4, false);
    for (int s = 0; s < 3; s++) {
      step(net, opt, s);
    }
    OneShot.prune(net, PruneCriterion.global(), 0.6);
    if (maskState) {
      maskState(opt, net);
    }
    Map<String, Tensor> masks = Pruning.masks(net);
    for (int s = 3; s < 6; s++) {
      step(net, opt, s);
    }
    float maxAbs = 0;
    for (Map.Entry<String, Tensor> e : masks.entrySet()) {
      float[] w = net.namedParameters().get(e.getKey()).value().data();
      float[] m = e.getValue().data();
      for (int i = 0; i < m.length; i++) {
        if (m[i] == 0f) {
          maxAbs = Math.max(maxAbs, Math.abs(w[i]));
        }
      }
    }
    // The effective weight is zero there either way.
    assertEquals(Math.round(0.6 * 42), Pruning.sparsity(net).zeros());
    return maxAbs;
  }

  @Test
  void momentumFromBeforeThePruneIsMaskedByMaskOptimizerState() {
    assertNotEquals(0f, origAfterPruneWithOldMomentum(false)); // the hazard is real
    assertEquals(0f, origAfterPruneWithOldMomentum(true));
  }

  @Test
  void maskOptimizerStateKeepsAdamStepCounts() {
    Module net = TinyNet.create(15);
    Adam opt = new Adam(net.parameters(), 0.01);
    step(net, opt, 0);
    step(net, opt, 1);
    OneShot.prune(net, PruneCriterion.global(), 0.5);
    maskState(opt, net);
    assertEquals(2f, opt.state().get("0.step").item());
    int fc = opt.params().indexOf(net.namedParameters().get(TinyNet.FC));
    float[] m = opt.state().get(fc + ".m").data();
    float[] mask = Pruning.masks(net).get(TinyNet.FC).data();
    for (int i = 0; i < m.length; i++) {
      assertTrue(mask[i] == 1f || m[i] == 0f, "m at " + i);
    }
  }
}
