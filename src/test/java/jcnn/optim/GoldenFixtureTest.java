package jcnn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.backend.cuda.CudaTestSupport;
import jcnn.nn.Conv2d;
import jcnn.nn.Flatten;
import jcnn.nn.GoldenFixtures;
import jcnn.nn.Linear;
import jcnn.nn.MaxPool2d;
import jcnn.nn.Parameter;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;
import jcnn.nn.loss.CrossEntropyLoss;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden end-to-end fixture: a tiny conv net whose loss, gradients, weights after one SGD step
 * (momentum, weight decay) and loss after it were computed by PyTorch 1.13 (see
 * benchmarks/peers/golden_tiny_net.py, which rebuilds the same weights and inputs from closed-form
 * formulas). jcnn must reproduce them on every backend.
 */
class GoldenFixtureTest {
  private static final float TOL = 2e-5f;

  @ParameterizedTest
  @ValueSource(strings = {"reference", "cpu1", "cpu2", "cuda"})
  void oneSgdStepMatchesPyTorch(String backendName) throws Exception {
    Backend b =
        switch (backendName) {
          case "reference" -> Backends.reference();
          case "cpu1" -> Backends.cpu(1);
          case "cuda" -> {
            CudaTestSupport.assumeGpu(); // skipped without a GPU
            yield CudaTestSupport.backend();
          }
          default -> Backends.cpu(2);
        };
    Backend previous = Backends.use(b);
    try {
      run(golden());
    } finally {
      Backends.use(previous);
    }
  }

  private static void run(JsonObject golden) {
    Sequential net =
        new Sequential(
            new Conv2d(1, 2, 3, 1, 0, 1L),
            new ReLU(),
            new MaxPool2d(2, 2),
            new Flatten(),
            new Linear(8, 3, 2L));
    Map<String, Parameter> params = net.namedParameters();
    fill(params.get("0.weight"), 0.91, 0.2);
    fill(params.get("0.bias"), 1.3, 0.3);
    fill(params.get("4.weight"), 0.53, 0.4);
    fill(params.get("4.bias"), 0.77, 0.5);
    Tensor x = GoldenFixtures.formula(0.37, 0.1, 2, 1, 6, 6);
    IntTensor y = IntTensor.of(new int[] {0, 2}, 2);
    Sgd sgd = new Sgd(new ArrayList<>(params.values()), 0.1, 0.9, 1e-3, false);

    sgd.zeroGrad();
    Variable loss = new CrossEntropyLoss().apply(net.forward(Variable.constant(x)), y);
    assertEquals(golden.get("loss").getAsFloat(), loss.value().item(), TOL, "loss");
    loss.backward();
    JsonObject grads = golden.getAsJsonObject("grads");
    JsonObject after = golden.getAsJsonObject("after_step");
    compare("grad", params, grads, true);
    sgd.step();
    compare("after step", params, after, false);
    float loss2 = new CrossEntropyLoss().apply(net.forward(Variable.constant(x)), y).value().item();
    assertEquals(golden.get("loss_after_step").getAsFloat(), loss2, TOL, "loss after step");
  }

  private static void compare(
      String what, Map<String, Parameter> params, JsonObject expected, boolean grads) {
    List<String> bad = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      String torchName = e.getKey().replace("0.", "conv.").replace("4.", "fc.");
      JsonArray want = expected.getAsJsonArray(torchName);
      float[] got = grads ? e.getValue().grad().data() : e.getValue().value().data();
      for (int i = 0; i < got.length; i++) {
        float w = want.get(i).getAsFloat();
        if (Math.abs(w - got[i]) > TOL + 1e-4f * Math.abs(w) && bad.size() < 8) {
          bad.add(torchName + "[" + i + "]: pytorch " + w + ", jcnn " + got[i]);
        }
      }
    }
    if (!bad.isEmpty()) {
      fail(what + " differs from PyTorch:\n  " + String.join("\n  ", bad));
    }
  }

  private static void fill(Parameter p, double a, double b) {
    p.value().copyFrom(GoldenFixtures.formula(a, b, p.value().shape().dims()));
  }

  private static JsonObject golden() {
    return GoldenFixtures.load("tiny_net.json");
  }
}
