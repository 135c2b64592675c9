package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Module bookkeeping: parameter counts and dotted names, state dict round trip and its errors,
 * train/eval propagation, printing, and the weight-transform hook that compression relies on.
 */
class ModuleTest {
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  /** A small LeNet-like network with nested names: features.*, classifier.*. */
  static final class Net extends Module {
    final Sequential features;
    final Linear classifier;

    Net(long seed) {
      features =
          registerModule(
              "features",
              new Sequential(
                  new Conv2d(1, 4, 3, 1, 0, seed),
                  new BatchNorm2d(4),
                  new ReLU(),
                  new MaxPool2d(2, 2),
                  new Flatten()));
      classifier = registerModule("classifier", new Linear(16, 10, seed + 1));
    }

    @Override
    public Variable forward(Variable x) {
      return classifier.forward(features.forward(x));
    }
  }

  @Test
  void parameterCounts() {
    assertEquals(400_500, new Linear(800, 500, 1).numParameters());
    assertEquals(520, new Conv2d(1, 20, 5, 1, 0, 1).numParameters());
    // conv 4*1*3*3 + 4, BN 2*4, linear 16*10 + 10.
    assertEquals(4 * 9 + 4 + 8 + 16 * 10 + 10, new Net(1).numParameters());
    // MobileNet block 3 -> 5: dw 3*9, BN 2*3, pw 3*5, BN 2*5.
    assertEquals(27 + 6 + 15 + 10, new DepthwiseSeparableConv(3, 5, 2, 1).numParameters());
  }

  @Test
  void namedParametersAndBuffersUseDottedPaths() {
    Net net = new Net(1);
    assertEquals(
        List.of(
            "features.0.weight",
            "features.0.bias",
            "features.1.gamma",
            "features.1.beta",
            "classifier.weight",
            "classifier.bias"),
        List.copyOf(net.namedParameters().keySet()));
    assertEquals(
        List.of("features.1.runningMean", "features.1.runningVar"),
        List.copyOf(net.namedBuffers().keySet()));
    assertEquals(
        List.of(
            "features.0.weight",
            "features.0.bias",
            "features.1.gamma",
            "features.1.beta",
            "features.1.runningMean",
            "features.1.runningVar",
            "classifier.weight",
            "classifier.bias"),
        List.copyOf(net.stateDict().keySet()));
    assertEquals(6, net.parameters().size());
    assertTrue(net.parameters().get(0) == net.features.get(0).parameter("weight"));
  }

  @Test
  void sharedParameterIsListedOnce() {
    Linear a = new Linear(3, 3, 1);
    Sequential s = new Sequential(a, a);
    assertEquals(4, s.namedParameters().size()); // 0.weight, 0.bias, 1.weight, 1.bias
    assertEquals(2, s.parameters().size());
    assertEquals(12, s.numParameters());
  }

  @Test
  void stateDictRoundTrip() {
    Net a = new Net(1);
    Net b = new Net(2);
    a.features.get(1).buffer("runningMean").fill(0.25f);
    Variable x = Variable.constant(Tensor.uniform(3, -1f, 1f, 2, 1, 6, 6));
    a.eval();
    b.eval();
    assertNotEquals(a.forward(x).value().get(0, 0), b.forward(x).value().get(0, 0));

    b.loadStateDict(a.stateDict());
    for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
      assertArrayEquals(e.getValue().data(), b.stateDict().get(e.getKey()).data(), e.getKey());
    }
    assertArrayEquals(a.forward(x).value().data(), b.forward(x).value().data());
    // Loading copies: changing the source afterwards leaves the target alone.
    a.classifier.weight().value().fill(9f);
    assertNotEquals(9f, b.classifier.weight().value().get(0, 0));
  }

  @Test
  void loadStateDictNamesEveryProblemAndCopiesNothing() {
    Net net = new Net(1);
    float before = net.classifier.weight().value().get(0, 0);
    LinkedHashMap<String, Tensor> state = new Net(2).stateDict();
    state.remove("classifier.bias");
    state.put("classifier.weight", Tensor.zeros(10, 15));
    state.put("extra.weight", Tensor.zeros(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
    assertTrue(e.getMessage().contains("missing key 'classifier.bias'"), e.getMessage());
    assertTrue(e.getMessage().contains("unexpected key 'extra.weight'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("classifier.weight: expected [10, 16], got [10, 15]"),
        e.getMessage());
    assertEquals(before, net.classifier.weight().value().get(0, 0));
    assertNotEquals(
        new Net(2).features.get(0).parameter("weight").value().get(0, 0, 0, 0),
        net.features.get(0).parameter("weight").value().get(0, 0, 0, 0));
  }

  @Test
  void trainAndEvalReachEveryDescendant() {
    Net net = new Net(1);
    assertTrue(net.namedModules().values().stream().allMatch(Module::isTraining));
    net.eval();
    assertTrue(net.namedModules().values().stream().noneMatch(Module::isTraining));
    assertEquals(8, net.namedModules().size()); // the net, features, its 5 layers, classifier
    net.train();
    assertTrue(net.namedModules().values().stream().allMatch(Module::isTraining));
  }

  @Test
  void printsATree() {
    Sequential s = new Sequential(new Linear(4, 3, false, 1), new ReLU());
    Residual r = new Residual(s, null, new ReLU());
    assertEquals(
        "Residual(\n"
            + "  (body): Sequential(\n"
            + "    (0): Linear(4 -> 3, no bias)\n"
            + "    (1): ReLU()\n"
            + "  )\n"
            + "  (act): ReLU()\n"
            + ")",
        r.toString());
  }

  @Test
  void registrationRejectsDuplicateAndDottedNames() {
    Sequential s = new Sequential();
    s.setBuffer("mask", Tensor.zeros(1));
    assertThrows(IllegalArgumentException.class, () -> s.setBuffer("a.b", Tensor.zeros(1)));
    Linear l = new Linear(2, 2, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> l.setBuffer("weight", Tensor.zeros(1)));
    assertTrue(e.getMessage().contains("'weight' already registered"), e.getMessage());
  }

  @Test
  void transformReparametrisesTheWeight() {
    // Pruning's recipe: a mask buffer and weight = orig * mask, installed from outside the layer.
    Linear l = new Linear(3, 2, false, 5);
    Tensor mask = Tensor.of(new float[] {1, 0, 1, 0, 1, 1}, 2, 3);
    l.setBuffer("weight_mask", mask);
    l.setTransform("weight", p -> F.mul(p, Variable.constant(l.buffer("weight_mask"))));
    assertTrue(l.stateDict().containsKey("weight_mask"));

    Variable x = Variable.constant(Tensor.uniform(6, -1f, 1f, 4, 3));
    Variable y = l.forward(x);
    float[] w = l.weight().value().data();
    float expected = 0;
    for (int c = 0; c < 3; c++) {
      expected += x.value().get(1, c) * w[c] * mask.data()[c];
    }
    assertEquals(expected, y.value().get(1, 0), 1e-6);

    F.sum(y).backward();
    float[] g = l.weight().grad().data();
    for (int i = 0; i < 6; i++) {
      assertEquals(mask.data()[i] == 0f, g[i] == 0f, "gradient masked at " + i);
    }
    l.setTransform("weight", null);
    assertEquals(l.weight(), l.effective("weight"));
  }

  @Test
  void transformMustKeepTheShape() {
    Linear l = new Linear(3, 2, 5);
    l.setTransform("weight", p -> F.reshape(p, 3, 2));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> l.effective("weight"));
    assertTrue(e.getMessage().contains("gave [3, 2], not [2, 3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> l.setTransform("nope", p -> p));
  }

  @Test
  void zeroGradClearsEveryParameter() {
    Net net = new Net(1);
    Variable x = Variable.constant(Tensor.uniform(3, -1f, 1f, 2, 1, 6, 6));
    F.sum(net.forward(x)).backward();
    assertTrue(net.classifier.weight().grad() != null);
    net.zeroGrad();
    for (Parameter p : net.parameters()) {
      for (float v : p.grad().data()) {
        assertEquals(0f, v);
      }
    }
  }
}
