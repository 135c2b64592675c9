package jcnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.models.LeNet;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.loss.CrossEntropyLoss;
import jcnn.optim.Sgd;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps of LeNet-5 and LeNet-300-100 (forward, loss, backward, SGD with momentum and
 * weight decay; three steps so the velocity matters) give the same losses, gradients and weights on
 * the GPU as on the fast CPU backend, within atol + rtol*|cpu|. Skipped without a GPU.
 */
class CudaTrainingStepTest {
  private static final double ATOL = 1e-4;
  private static final double RTOL = 1e-3;

  @Test
  void lenet5StepsMatchTheCpu() {
    CudaTestSupport.assumeGpu();
    compare(LeNet.lenet5(7), LeNet.lenet5(7), 64, new int[] {1, 28, 28});
  }

  @Test
  void lenet300StepsMatchTheCpu() {
    CudaTestSupport.assumeGpu();
    compare(LeNet.lenet300(7), LeNet.lenet300(7), 64, new int[] {1, 28, 28});
  }

  private static void compare(Module cpuNet, Module gpuNet, int batch, int[] image) {
    Tensor x = Tensor.uniform(11, 0f, 1f, batch, image[0], image[1], image[2]); // [N, 1, 28, 28]
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = (i * 7) % 10;
    }
    IntTensor y = IntTensor.of(labels, batch);
    List<float[]> cpu = run(Backends.cpu(2), cpuNet, x, y);
    List<float[]> gpu = run(CudaTestSupport.backend(), gpuNet, x, y);
    List<String> names = names(cpuNet);
    List<String> bad = new ArrayList<>();
    for (int t = 0; t < cpu.size(); t++) {
      float[] c = cpu.get(t);
      float[] g = gpu.get(t);
      assertEquals(c.length, g.length, names.get(t));
      for (int i = 0; i < c.length && bad.size() < 12; i++) {
        if (!(Math.abs(c[i] - g[i]) <= ATOL + RTOL * Math.abs(c[i]))) {
          bad.add(names.get(t) + "[" + i + "]: cpu " + c[i] + ", gpu " + g[i]);
        }
      }
    }
    if (!bad.isEmpty()) {
      fail("GPU training steps differ from the CPU:\n  " + String.join("\n  ", bad));
    }
  }

  /** Labels of what {@link #run} returns, in its order. */
  private static List<String> names(Module net) {
    List<String> n = new ArrayList<>();
    for (int step = 0; step < 3; step++) {
      n.add("loss of step " + step);
      for (String p : net.namedParameters().keySet()) {
        n.add("grad of " + p + " at step " + step);
      }
    }
    for (String p : net.namedParameters().keySet()) {
      n.add("weight " + p + " after 3 steps");
    }
    return n;
  }

  /** Three SGD steps on {@code backend}: each loss and gradient, then the final weights. */
  private static List<float[]> run(Backend backend, Module net, Tensor x, IntTensor y) {
    Backend previous = Backends.use(backend);
    try {
      LinkedHashMap<String, Parameter> params = net.namedParameters();
      Sgd sgd = new Sgd(new ArrayList<>(params.values()), 0.05, 0.9, 5e-4, false);
      List<float[]> out = new ArrayList<>();
      net.train();
      for (int step = 0; step < 3; step++) {
        sgd.zeroGrad();
        Variable loss = new CrossEntropyLoss().apply(net.forward(Variable.constant(x)), y);
        loss.backward();
        out.add(new float[] {loss.value().item()});
        for (Parameter p : params.values()) {
          out.add(p.grad().data().clone());
        }
        sgd.step();
      }
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        out.add(e.getValue().value().data().clone());
      }
      return out;
    } finally {
      Backends.use(previous);
    }
  }
}
