package jcnn.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.optim.Sgd;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One SGD training step of a whole CIFAR-10 network on the fast CPU backend, the step {@code jcnn
 * train} runs (zeroGrad, forward, softmax cross-entropy, backward, SGD with momentum 0.9 and weight
 * decay 5e-4), on one fixed random batch [batch, 3, 32, 32] with random labels: the network's
 * training cost without data loading, as benchmarks/peers/torch_compact_train.py measures PyTorch's
 * (also one random batch, warm-up steps untimed). images/s = batch / (ms/op / 1000).
 *
 * <p>Napkin math, mobilenet2 (CIFAR-10, 88.0M multiply-adds per image forward, {@code jcnn
 * summary}): a step is about 3 x 2 x 88.0M = 528 MFLOP per image, 67.6 GFLOP per batch of 128; two
 * cores of this machine peak near 200 GFLOP/s, so 0.34 s per step (380 img/s) if every op ran at
 * peak. Its convolution layers, measured one by one, run faster than PyTorch's (mobilenet2.pw 77
 * GFLOP/s; mobilenet2.dw 24 GFLOP/s and 11 GB/s, see ConvBenchmark). The rest of the step is
 * memory: it allocates its activations and gradients afresh (about 5.1 GB before batch norm and its
 * ReLU6 were fused; {@code jcnn summary} now counts 13.4 MB of activations per image, 19.4 before),
 * which the JVM must zero, collect and, whenever its heap shrinks and grows again, fault in from
 * the kernel.
 *
 * <p>Measured 2026-12-07 in a later session (another CPU), after the batch-norm changes, PyTorch in
 * the same run: mobilenet2 1,293 +- 53 ms (99.0 img/s against 90.3, 1.10x; before them 1,634 ms,
 * 0.87x), squeezenet 2,905 ms (0.65x), mobilenet1 529 ms (1.06x), sepnet 706 ms (1.10x); see
 * docs/models.md.
 *
 * <p>Measured earlier on 2026-12-07 (2 cores, JDK 17, G1 with -XX:MaxRAMPercentage=50, 8 warm-up
 * and 8 timed steps; benchmarks/measure-compact.sh, PyTorch 1.13 in the same run): mobilenet2 2,433
 * +- 1,411 ms per step, 52.6 img/s against PyTorch's 79.5 (0.66x; single steps ranged 1.8-4.1 s
 * with the collector's work); squeezenet 3,409 ms, 37.5 against 61.0 (0.62x); mobilenet1 634 ms,
 * 202 against 235 (0.86x); sepnet 953 ms, 134 against 139 (0.96x). A plain loop of mobilenet2 steps
 * ran at 32-34 img/s in the JVM's default heap (a third of its CPU time in the kernel: page faults)
 * and at 49-51 in a fixed 6 GB one.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <jcnn.jar:deps> org.openjdk.jmh.Main
 * TrainStepBenchmark -p model=mobilenet2 -p batch=128 -wi 8 -i 8 -f 1 -jvmArgsAppend
 * "--add-modules=jdk.incubator.vector -XX:MaxRAMPercentage=50"} (each iteration is one step);
 * benchmarks/measure-compact.sh runs it for each compact network beside the PyTorch peer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TrainStepBenchmark {
  @Param("mobilenet2")
  String model;

  @Param("128")
  int batch;

  @Param("2")
  int threads;

  private Backend previous;
  private Module net;
  private Sgd opt;
  private Tensor x; // [batch, 3, 32, 32]
  private IntTensor y; // [batch]

  @Setup(Level.Trial)
  public void setup() {
    previous = Backends.use(Backends.cpu(threads));
    net = Models.create(model, 10, 1);
    net.train();
    opt = new Sgd(net.parameters(), 0.05, 0.9, 5e-4, false);
    x = Tensor.randn(1, 1f, batch, 3, 32, 32);
    int[] labels = new int[batch];
    Random r = new Random(2);
    for (int i = 0; i < batch; i++) {
      labels[i] = r.nextInt(10);
    }
    y = IntTensor.of(labels, batch);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Backends.use(previous);
  }

  /** One step; returns the loss so that nothing is dead code. */
  @Benchmark
  public float step() {
    opt.zeroGrad();
    Variable loss = F.softmaxCrossEntropy(net.forward(Variable.constant(x)), y);
    loss.backward();
    opt.step();
    return loss.value().item();
  }
}
