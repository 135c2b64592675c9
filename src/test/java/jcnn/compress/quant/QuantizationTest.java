package jcnn.compress.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.models.Models;
import jcnn.nn.BinaryActivation;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.ReLU;
import jcnn.optim.Sgd;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import jcnn.train.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binary and ternary networks as models: which layers each mode takes, the latent clip, TTQ's
 * trained scales through optimizer and file, stochastic draws, baking, binary activations and the
 * refusals.
 */
class QuantizationTest {
  @TempDir Path dir;

  private static final Tensor MNIST_BATCH = Tensor.randn(5, 1f, 4, 1, 28, 28);

  private static Tensor eval(Module m, Tensor x) {
    m.eval();
    try (GradMode.Scope g = GradMode.noGrad()) {
      return m.forward(Variable.constant(x)).value().copy();
    }
  }

  @Test
  void eachModeTakesItsLayers() {
    // lenet5: 0 conv 5x5 (first), 3 conv 5x5, 7 fc, 9 fc (last)
    assertEquals(
        List.of("0.weight", "3.weight", "7.weight", "9.weight"),
        List.copyOf(Quantization.quantized(Models.create("lenet5+binary", 10, 1)).keySet()));
    for (String mode : List.of("ternary", "ttq")) {
      assertEquals(
          List.of("3.weight", "7.weight"),
          List.copyOf(Quantization.quantized(Models.create("lenet5+" + mode, 10, 1)).keySet()),
          mode + ": the first and last layers stay float");
    }
    assertEquals(
        List.of("3.weight"),
        List.copyOf(Quantization.quantized(Models.create("lenet5+pattern", 10, 1)).keySet()));
    assertTrue(Quantization.quantized(Models.create("lenet5", 10, 1)).isEmpty());
  }

  @Test
  void patternBinarizesTheSpatialFiltersOfSepnet() {
    Module net = Models.create("sepnet-0.25x+pattern", 10, 1);
    Map<String, QuantizedWeight> q = Quantization.quantized(net);
    int spatial = 0;
    boolean first = true;
    for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
      Parameter p = e.getValue();
      if (!e.getKey().endsWith("weight") || p.shape().rank() != 4) {
        continue;
      }
      boolean kxk = p.shape().dim(2) > 1;
      boolean expect = kxk && !first;
      assertEquals(expect, q.containsKey(e.getKey()), e.getKey() + " " + p.shape());
      spatial += expect ? 1 : 0;
      first = false;
    }
    assertTrue(spatial >= 8, "sepnet's 3x3 group convolutions: " + spatial);
    q.values().forEach(w -> assertTrue(((BinaryWeight) w).scaled()));
  }

  @Test
  void binaryLatentWeightsStayInsideOne() {
    Module net = Models.create("lenet5+binary", 10, 1);
    Parameter w = net.namedParameters().get("7.weight");
    for (float v : w.value().data()) {
      assertTrue(v >= -1f && v <= 1f);
    }
    w.value().data()[0] = 3f;
    w.value().data()[1] = -2.5f;
    net.afterStep();
    assertEquals(1f, w.value().data()[0]);
    assertEquals(-1f, w.value().data()[1]);
    Tensor eff = Quantization.quantized(net).get("7.weight").materialize();
    float a = 0; // row 0's scale: its mean |w|
    for (int i = 0; i < 800; i++) {
      a += Math.abs(w.value().data()[i]);
    }
    a /= 800;
    for (int i = 0; i < 800; i++) {
      assertEquals(Math.signum(w.value().data()[i]) >= 0 ? a : -a, eff.data()[i], 1e-5f);
    }
  }

  @Test
  void ttqScalesAreStepped() throws Exception {
    Module net = Models.create("lenet5+ttq", 10, 1);
    List<Parameter> trainable = net.trainableParameters();
    assertEquals(net.parameters().size() + 4, trainable.size(), "wp and wn of two layers");
    TtqWeight fc = (TtqWeight) Quantization.quantized(net).get("7.weight");
    float wp = fc.positive();
    float wn = fc.negative();
    assertTrue(wp > 0 && wn > 0);
    Sgd opt = new Sgd(trainable, 0.1);
    net.train();
    opt.zeroGrad();
    Variable loss =
        F.softmaxCrossEntropy(
            net.forward(Variable.constant(MNIST_BATCH)), IntTensor.of(new int[] {1, 2, 3, 4}, 4));
    loss.backward();
    opt.step();
    assertNotEquals(wp, fc.positive());
    assertNotEquals(wn, fc.negative());

    Path f = dir.resolve("ttq.safetensors");
    ModelFile.save(f, net, "lenet5+ttq", 10, null);
    Module back = ModelFile.load(f).model();
    TtqWeight fc2 = (TtqWeight) Quantization.quantized(back).get("7.weight");
    assertEquals(fc.positive(), fc2.positive());
    assertEquals(fc.negative(), fc2.negative());
    assertArrayEquals(eval(net, MNIST_BATCH).data(), eval(back, MNIST_BATCH).data());
  }

  @Test
  void ternaryWeightsHaveThreeLevels() {
    Module net = Models.create("lenet5+ttq", 10, 1);
    for (QuantizedWeight q : Quantization.quantized(net).values()) {
      TtqWeight t = (TtqWeight) q;
      for (float v : q.materialize().data()) {
        assertTrue(v == 0f || v == t.positive() || v == -t.negative(), "level " + v);
      }
    }
  }

  @Test
  void stochasticDrawsAreSeededAndCounted() {
    Module a = Models.create("lenet5+binary-stochastic", 10, 1);
    Module b = Models.create("lenet5+binary-stochastic", 10, 1);
    a.train();
    b.train();
    Tensor ya = a.forward(Variable.constant(MNIST_BATCH)).value();
    Tensor yb = b.forward(Variable.constant(MNIST_BATCH)).value();
    assertArrayEquals(ya.data(), yb.data(), "same seed, same draws");
    assertEquals(1f, a.namedBuffers().get("7.weight_draws").item());
    Tensor ya2 = a.forward(Variable.constant(MNIST_BATCH)).value();
    assertEquals(2f, a.namedBuffers().get("7.weight_draws").item());
    assertNotEquals(ya.data()[0], ya2.data()[0], "a new draw each step");
    // evaluation takes the sign: the deterministic network with the same latent weights
    Module det = Models.create("lenet5+binary", 10, 1);
    assertArrayEquals(eval(det, MNIST_BATCH).data(), eval(a, MNIST_BATCH).data(), 1e-5f);
    assertEquals(2f, a.namedBuffers().get("7.weight_draws").item(), "no draw in eval");
  }

  @Test
  void bakeKeepsWhatTheNetworkComputes() {
    for (String mode : List.of("binary", "ternary", "ttq", "pattern")) {
      Module net = Models.create("lenet5+" + mode, 10, 2);
      Tensor before = eval(net, MNIST_BATCH);
      assertTrue(Quantization.bake(net) > 0);
      assertTrue(Quantization.quantized(net).isEmpty());
      assertNull(net.namedBuffers().get("7.weight_wp"));
      assertArrayEquals(before.data(), eval(net, MNIST_BATCH).data(), 1e-5f, mode);
      assertEquals(Models.create("lenet5", 10, 2).stateDict().keySet(), net.stateDict().keySet());
    }
  }

  @Test
  void binaryActivationsReplaceTheReLUsOfABnn() {
    Module net = Models.create("bnn-mlp-0.01x+binary+unscaled+binact", 10, 1);
    long signs =
        net.namedModules().values().stream().filter(BinaryActivation.class::isInstance).count();
    long relus = net.namedModules().values().stream().filter(ReLU.class::isInstance).count();
    assertEquals(3, signs);
    assertEquals(0, relus);
    assertEquals(4, Quantization.quantized(net).size(), "every weight, first and last included");
    Tensor y = eval(net, MNIST_BATCH);
    boolean real = false;
    for (float v : y.data()) {
      real |= v != 1f && v != -1f;
    }
    assertTrue(real, "the output, after the last batch norm, stays real");
    for (QuantizedWeight q : Quantization.quantized(net).values()) {
      for (float v : q.materialize().data()) {
        assertTrue(v == 1f || v == -1f, "unscaled: +-1, got " + v);
      }
    }
  }

  @Test
  void refusesWhatCannotBeQuantized() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Models.create("lenet5+binary+binact", 10, 1));
    assertTrue(e.getMessage().contains("batch norm before every activation"), e.getMessage());
    assertTrue(e.getMessage().contains("layer 1 (ReLU) follows Conv2d"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Models.create("resnet20+binary+binact", 10, 1));
    assertTrue(e.getMessage().contains("plain feed-forward network"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Models.create("lenet5+ttq+unscaled", 10, 1));
    assertTrue(e.getMessage().contains("--binary-scale none"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Models.create("lenet5+quaternary", 10, 1));
    assertTrue(e.getMessage().contains("--weights must be one of float, binary"), e.getMessage());
    Module net = Models.create("lenet5+binary", 10, 1);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Quantization.apply(net, new QuantSpec(WeightMode.TTQ, true, false), 1));
    assertTrue(
        e.getMessage().contains("3.weight already has a transform (BinaryWeight)"), e.getMessage());
  }

  @Test
  void specsRoundTripThroughNames() {
    for (String s :
        List.of(
            "", "+binary", "+binary-stochastic+unscaled", "+ttq", "+binact", "+pattern+binact")) {
      assertEquals(s, QuantSpec.parse(s).suffix());
    }
    assertEquals(
        "mobilenet2-0.5x+ttq", Models.withQuantization("mobilenet2-0.5x", QuantSpec.parse("+ttq")));
    assertEquals(0.5, Models.width("mobilenet2-0.5x+ttq"));
    assertEquals("mobilenet2-0.5x", Models.floatName("mobilenet2-0.5x+ttq"));
  }
}
