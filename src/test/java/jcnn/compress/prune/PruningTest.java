package jcnn.compress.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.nn.Module;
import jcnn.nn.io.SafeTensors;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pruning as reparametrisation on {@link TinyNet}: what is prunable, installing masks (orig zeroed,
 * the mask in the state dict, all-or-nothing checks), the gradient of orig being the dense gradient
 * times the mask, sparsity counts, bake, and saving then loading a pruned model with {@link
 * Pruning#restore} (through a safetensors file).
 */
class PruningTest {

  private static Map<String, Tensor> halfMaskOnFc() {
    float[] m = new float[24];
    for (int i = 0; i < 24; i++) {
      m[i] = i % 2; // prune the even entries
    }
    return Map.of(TinyNet.FC, Tensor.of(m, 3, 8));
  }

  @Test
  void convAndLinearWeightsArePrunableBiasesAndBatchNormOnlyWhenAsked() {
    Module net = TinyNet.create(1);
    assertEquals(
        List.of(TinyNet.CONV, TinyNet.FC), List.copyOf(Pruning.prunableParameters(net).keySet()));
    assertEquals(
        List.of("0.weight", "0.bias", "1.gamma", "1.beta", "4.weight", "4.bias"),
        List.copyOf(Pruning.prunableParameters(net, true).keySet()));

    Tensor convBias = net.stateDict().get("0.bias").fill(0.01f).copy();
    Tensor gamma = net.stateDict().get("1.gamma").copy();
    OneShot.prune(net, PruneCriterion.global(), 0.9);
    assertEquals(Math.round(0.9 * 42), Pruning.sparsity(net).zeros());
    assertArrayEquals(convBias.data(), net.stateDict().get("0.bias").data());
    assertArrayEquals(gamma.data(), net.stateDict().get("1.gamma").data());
    assertFalse(net.stateDict().containsKey("0.bias_mask"));

    OneShot.prune(
        net, PruneCriterion.uniform(), 0.5, Pruning.prunableParameters(net, true).keySet());
    assertEquals(0.5, Pruning.sparsity(net).fraction("0.bias"), 1e-12); // 1 of 2, both 0.01
    assertTrue(Pruning.isPruned(net, "1.gamma"));
  }

  @Test
  void applyMasksKeepsTheMaskInTheStateDictAndZeroesOrig() {
    Module net = TinyNet.create(2);
    Tensor before = net.stateDict().get(TinyNet.FC).copy();
    Map<String, Tensor> mask = halfMaskOnFc();
    Pruning.applyMasks(net, mask);

    assertTrue(net.stateDict().containsKey(TinyNet.FC + "_mask"));
    assertTrue(Pruning.isPruned(net, TinyNet.FC));
    assertFalse(Pruning.isPruned(net, TinyNet.CONV));
    float[] orig = net.stateDict().get(TinyNet.FC).data();
    Module fc = net.namedModules().get("4");
    float[] eff = fc.effective("weight").value().data();
    for (int i = 0; i < 24; i++) {
      assertEquals(i % 2 == 0 ? 0f : before.data()[i], orig[i], "orig at " + i);
      assertEquals(orig[i], eff[i], "effective at " + i);
    }
    // The mask was copied in and is copied out.
    mask.get(TinyNet.FC).fill(1f);
    Tensor out = Pruning.masks(net).get(TinyNet.FC);
    assertEquals(0f, out.data()[0]);
    out.fill(1f);
    assertEquals(0f, fc.buffer("weight_mask").data()[0]);
  }

  @Test
  void applyMasksChecksEveryMaskBeforeChangingAnything() {
    Module net = TinyNet.create(3);
    Map<String, Tensor> bad = new LinkedHashMap<>(halfMaskOnFc());
    bad.put(TinyNet.CONV, Tensor.full(0.5f, 2, 1, 3, 3));
    bad.put("nope.weight", Tensor.full(1f, 2));
    bad.put("0.bias", Tensor.full(1f, 3));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Pruning.applyMasks(net, bad));
    String msg = e.getMessage();
    assertTrue(msg.contains("0.weight: mask values must be 0 or 1"), msg);
    assertTrue(msg.contains("no parameter 'nope.weight'"), msg);
    assertTrue(msg.contains("0.bias: mask [3] for parameter [2]"), msg);
    assertFalse(Pruning.isPruned(net, TinyNet.FC)); // the good mask was not applied either
  }

  @Test
  void gradientOfOrigIsTheDenseGradientTimesTheMask() {
    Module pruned = TinyNet.create(4);
    Pruning.applyMasks(pruned, halfMaskOnFc());
    OneShot.prune(pruned, PruneCriterion.uniform(), 0.4, List.of(TinyNet.CONV));
    Module dense = TinyNet.create(4);
    dense.loadStateDict(plain(pruned)); // the same effective weights, no transforms

    TinyNet.loss(pruned, 9).backward();
    TinyNet.loss(dense, 9).backward();
    Map<String, Tensor> masks = Pruning.masks(pruned);
    for (String name : List.of(TinyNet.CONV, TinyNet.FC)) {
      float[] g = pruned.namedParameters().get(name).grad().data();
      float[] d = dense.namedParameters().get(name).grad().data();
      float[] m = masks.get(name).data();
      boolean someNonzero = false;
      for (int i = 0; i < g.length; i++) {
        assertTrue(g[i] == d[i] * m[i], name + " grad at " + i + ": " + g[i] + " vs " + d[i]);
        someNonzero |= g[i] != 0f;
      }
      assertTrue(someNonzero, name + " has a gradient");
    }
  }

  /** The state dict without mask entries. */
  private static Map<String, Tensor> plain(Module m) {
    Map<String, Tensor> out = new LinkedHashMap<>(Pruning.snapshot(m));
    out.keySet().removeIf(k -> k.endsWith(Pruning.MASK_SUFFIX));
    return out;
  }

  @Test
  void sparsityCountsZerosGloballyAndPerLayer() {
    Module net = TinyNet.create(5);
    assertEquals(0, Pruning.sparsity(net).global());
    Pruning.applyMasks(net, halfMaskOnFc());
    Sparsity s = Pruning.sparsity(net);
    assertEquals(12, s.zeros());
    assertEquals(42, s.total());
    assertEquals(12.0 / 42, s.global(), 1e-12);
    assertEquals(0.5, s.perLayer().get(TinyNet.FC), 1e-12);
    assertEquals(0.0, s.perLayer().get(TinyNet.CONV), 1e-12);
    assertTrue(s.toString().contains("total"), s.toString());
  }

  @Test
  void bakeLeavesAPlainModelWithTheSameOutputs() {
    Module net = TinyNet.create(6).eval();
    OneShot.prune(net, PruneCriterion.global(), 0.6);
    float[] y = net.forward(TinyNet.input(1)).value().data().clone();
    Sparsity before = Pruning.sparsity(net);

    Map<String, Tensor> removed = Pruning.bake(net);
    assertEquals(Math.round(0.6 * 42), before.zeros());
    assertEquals(List.of(TinyNet.CONV, TinyNet.FC), List.copyOf(removed.keySet()));
    assertTrue(net.stateDict().keySet().stream().noneMatch(k -> k.endsWith("_mask")));
    assertFalse(Pruning.isPruned(net, TinyNet.FC));
    assertArrayEquals(y, net.forward(TinyNet.input(1)).value().data());
    assertEquals(before.zeros(), Pruning.sparsity(net).zeros()); // zeros counted by value

    Module fresh = TinyNet.create(60).eval();
    fresh.loadStateDict(net.stateDict()); // a plain state dict
    assertArrayEquals(y, fresh.forward(TinyNet.input(1)).value().data());
  }

  @Test
  void aPrunedModelSavesAndLoadsThroughRestore(@TempDir Path dir) throws IOException {
    Module net = TinyNet.create(7).eval();
    OneShot.prune(net, PruneCriterion.uniform(), 0.5);
    float[] y = net.forward(TinyNet.input(2)).value().data().clone();
    Path file = dir.resolve("pruned.safetensors");
    SafeTensors.write(file, net.stateDict(), Map.of());
    Map<String, Tensor> state = SafeTensors.read(file).tensors();
    assertTrue(state.containsKey(TinyNet.CONV + "_mask"));

    Module fresh = TinyNet.create(70).eval();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> fresh.loadStateDict(state));
    assertTrue(e.getMessage().contains("unexpected key '0.weight_mask'"), e.getMessage());
    Pruning.restore(fresh, state);
    assertTrue(Pruning.isPruned(fresh, TinyNet.CONV) && Pruning.isPruned(fresh, TinyNet.FC));
    assertArrayEquals(y, fresh.forward(TinyNet.input(2)).value().data());
    assertEquals(Pruning.sparsity(net).zeros(), Pruning.sparsity(fresh).zeros());
    // The mask values were copied in; the caller's tensor is not aliased.
    Tensor loaded = fresh.namedModules().get("4").buffer("weight_mask");
    assertNotSame(state.get(TinyNet.FC + "_mask"), loaded);
    assertArrayEquals(state.get(TinyNet.FC + "_mask").data(), loaded.data());
  }

  @Test
  void restoreRemovesMasksTheStateLacksAndLeavesTheModelAloneOnError() {
    Module net = TinyNet.create(8);
    Map<String, Tensor> dense = Pruning.snapshot(net);
    Pruning.applyMasks(net, halfMaskOnFc());
    Map<String, Tensor> pruned = Pruning.snapshot(net);

    Map<String, Tensor> broken = new LinkedHashMap<>(dense);
    broken.put(TinyNet.CONV + "_mask", Tensor.full(1f, 2, 1, 3, 3));
    broken.remove("4.bias");
    assertThrows(IllegalArgumentException.class, () -> Pruning.restore(net, broken));
    assertEquals(List.of(TinyNet.FC), List.copyOf(Pruning.masks(net).keySet()));
    assertArrayEquals(pruned.get(TinyNet.FC).data(), net.stateDict().get(TinyNet.FC).data());

    Pruning.restore(net, dense);
    assertFalse(Pruning.isPruned(net, TinyNet.FC));
    assertArrayEquals(dense.get(TinyNet.FC).data(), net.stateDict().get(TinyNet.FC).data());
    Variable y = net.forward(TinyNet.input(3));
    assertEquals(12, y.value().numel());
    assertTrue(F.sum(y).value().allFinite());
  }

  @Test
  void enforceZeroesOrigWrittenFromOutside() {
    Module net = TinyNet.create(9);
    Pruning.applyMasks(net, halfMaskOnFc());
    net.stateDict().get(TinyNet.FC).fill(3f);
    Pruning.enforce(net);
    float[] orig = net.stateDict().get(TinyNet.FC).data();
    for (int i = 0; i < 24; i++) {
      assertEquals(i % 2 == 0 ? 0f : 3f, orig[i]);
    }
  }
}
