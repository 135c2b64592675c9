package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compact networks' ops and blocks against PyTorch 1.13: forward output, the input's gradient
 * and every parameter's gradient of depthwise 3x3 (stride 1 and 2), grouped 3x3 and 1x1
 * convolution, Fire, the inverted residual with and without its shortcut, the Pattern Residual
 * Block and antialiased resizing, on the reference backend and the fast CPU one. The fixture
 * (src/test/resources/golden/compact.json) is written by benchmarks/peers/golden_compact.py, which
 * builds the same inputs and weights from the closed form 0.5 sin(a i + b).
 */
class CompactGoldenTest {
  private static final float ATOL = 3e-5f;
  private static final float RTOL = 1e-4f;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "depthwise_s1",
        "depthwise_s2",
        "group3x3",
        "group1x1",
        "fire",
        "inverted_residual",
        "inverted_residual_s2",
        "pattern_residual",
        "resize_7_to_5",
        "resize_8_to_4"
      })
  void matchesPyTorch(String name) throws Exception {
    JsonObject c = golden().getAsJsonObject("cases").getAsJsonObject(name);
    for (Backend b : new Backend[] {Backends.reference(), Backends.cpu(2)}) {
      Backend previous = Backends.use(b);
      try {
        check(name, c);
      } finally {
        Backends.use(previous);
      }
    }
  }

  private static void check(String name, JsonObject c) {
    Module m = module(name);
    List<Parameter> params = m == null ? List.of() : m.parameters();
    JsonArray shapes = c.getAsJsonArray("param_shapes");
    assertEquals(shapes.size(), params.size(), name + ": parameter count");
    for (int k = 0; k < params.size(); k++) {
      assertArrayEquals(ints(shapes.get(k).getAsJsonArray()), params.get(k).shape().dims());
      params
          .get(k)
          .value()
          .copyFrom(GoldenFixtures.formula(0.3 + 0.07 * k, 0.1 * k, params.get(k).shape().dims()));
    }
    Parameter x =
        new Parameter(GoldenFixtures.formula(0.37, 0.1, ints(c.getAsJsonArray("input_shape"))));
    UnaryOperator<Variable> f = m != null ? m::forward : v -> resize(name, v);
    Variable y = f.apply(x);
    assertArrayEquals(ints(c.getAsJsonArray("output_shape")), y.shape().dims(), name);
    Tensor r = GoldenFixtures.formula(0.61, 0.7, y.shape().dims());
    F.sum(F.mul(y, Variable.constant(r))).backward();
    List<String> bad = new ArrayList<>();
    compare(bad, name + " output", c.getAsJsonArray("output"), y.value());
    compare(bad, name + " grad input", c.getAsJsonArray("grad_input"), x.grad());
    for (int k = 0; k < params.size(); k++) {
      compare(
          bad,
          name + " grad param " + k,
          c.getAsJsonArray("grads").get(k).getAsJsonArray(),
          params.get(k).grad());
    }
    if (!bad.isEmpty()) {
      fail(Backends.current() + ": differs from PyTorch:\n  " + String.join("\n  ", bad));
    }
  }

  private static Module module(String name) {
    return switch (name) {
      case "depthwise_s1" -> new Conv2d(4, 4, 3, 1, 1, 4, true, 1);
      case "depthwise_s2" -> new Conv2d(4, 4, 3, 2, 1, 4, true, 1);
      case "group3x3" -> new Conv2d(4, 6, 3, 1, 1, 2, true, 1);
      case "group1x1" -> new Conv2d(4, 6, 1, 1, 0, 2, false, 1);
      case "fire" -> new Fire(4, 3, 2, 2, false, 1);
      case "inverted_residual" -> new InvertedResidual(4, 4, 1, 2, 1);
      case "inverted_residual_s2" -> new InvertedResidual(4, 6, 2, 2, 1);
      case "pattern_residual" -> new PatternResidualBlock(4, 2, 1);
      default -> null;
    };
  }

  private static Variable resize(String name, Variable x) {
    return switch (name) {
      case "resize_7_to_5" -> F.resize(x, 5, 5);
      case "resize_8_to_4" -> F.resize(x, 4, 4);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static void compare(List<String> bad, String what, JsonArray want, Tensor got) {
    float[] g = got.data();
    assertEquals(want.size(), g.length, what + ": size");
    for (int i = 0; i < g.length; i++) {
      float w = want.get(i).getAsFloat();
      if (!(Math.abs(w - g[i]) <= ATOL + RTOL * Math.abs(w)) && bad.size() < 10) {
        bad.add(what + "[" + i + "]: pytorch " + w + ", jcnn " + g[i]);
      }
    }
  }

  private static int[] ints(JsonArray a) {
    int[] d = new int[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsInt();
    }
    return d;
  }

  private static JsonObject golden() {
    return GoldenFixtures.load("compact.json");
  }
}
