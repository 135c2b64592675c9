package jcnn.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.nn.Linear;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;
import jcnn.nn.loss.CrossEntropyLoss;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: a 2-16-2 MLP learns a linearly separable 2-D problem (64 points, margin 0.2 around
 * the line x0 + 0.5 x1 = 0) with full-batch Sgd and with Adam, following zeroGrad -> forward ->
 * backward -> step.
 */
class TinyMlpTrainingTest {
  private static Backend previous;
  private static Tensor points; // [64, 2]
  private static IntTensor labels; // [64]

  @BeforeAll
  static void setUp() {
    previous = Backends.use(Backends.reference());
    SplittableRandom r = new SplittableRandom(11);
    float[] xs = new float[128];
    int[] ys = new int[64];
    for (int i = 0; i < 64; i++) {
      double a;
      double b;
      do {
        a = 2 * r.nextDouble() - 1;
        b = 2 * r.nextDouble() - 1;
      } while (Math.abs(a + 0.5 * b) < 0.2);
      xs[2 * i] = (float) a;
      xs[2 * i + 1] = (float) b;
      ys[i] = a + 0.5 * b > 0 ? 1 : 0;
    }
    points = Tensor.of(xs, 64, 2);
    labels = IntTensor.of(ys, 64);
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  /** Trains for {@code steps} and returns {initial loss, final loss}. */
  private static double[] train(Sequential mlp, Optimizer opt, int steps) {
    CrossEntropyLoss ce = new CrossEntropyLoss();
    Variable x = Variable.constant(points);
    double first = Double.NaN;
    double last = Double.NaN;
    for (int s = 0; s < steps; s++) {
      opt.zeroGrad();
      Variable loss = ce.apply(mlp.forward(x), labels);
      loss.backward();
      opt.step();
      last = loss.value().item();
      first = s == 0 ? last : first;
    }
    System.out.printf(
        "%s: loss %.4f -> %.5f in %d steps%n", opt.getClass().getSimpleName(), first, last, steps);
    return new double[] {first, last};
  }

  private static Sequential mlp() {
    return new Sequential(new Linear(2, 16, 1), new ReLU(), new Linear(16, 2, 2));
  }

  @Test
  void sgdWithMomentumLearnsIt() {
    Sequential m = mlp();
    double[] loss = train(m, new Sgd(m.parameters(), 0.1, 0.9, 0, false), 150);
    assertTrue(loss[0] > 0.3 && loss[1] < 0.01, "loss went " + loss[0] + " -> " + loss[1]);
  }

  @Test
  void adamLearnsIt() {
    Sequential m = mlp();
    double[] loss = train(m, new Adam(m.parameters(), 0.02), 150);
    assertTrue(loss[0] > 0.3 && loss[1] < 0.01, "loss went " + loss[0] + " -> " + loss[1]);
  }
}
