package jcnn.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jcnn.autograd.Variable;
import jcnn.backend.Backends;
import jcnn.backend.cpu.CpuBackend;
import jcnn.compress.codec.JczModel;
import jcnn.compress.codec.JczTensor;
import jcnn.compress.exec.ExecMode;
import jcnn.compress.exec.ExecPlan;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole compressed LeNet-5 at inference, dense against compressed execution (issue 19). The
 * network is pruned layer by layer at Deep Compression's rates (conv1 34%, conv2 88%, fc1 92%, fc2
 * 81%, Han et al. 2016 Table 4) and its weights shared on 256 (conv) and 32 (fc) levels, then
 * written as a {@link JczModel} in memory; {@code dense} runs it decoded to float32, {@code
 * compressed} as {@link ExecPlan} runs a file ({@code jcnn eval}'s default). Weights are at init,
 * not trained: timing depends on the sparsity pattern's density, not on the values.
 *
 * <p>Napkin math at batch 1: dense does 2.3 MMAC (conv2 1.6 M of them) on 1.7 MB of weights;
 * compressed does ~0.25 MMAC on ~0.1 MB, so the floor is set by the layers left dense (ReLU,
 * pooling), the per-layer overhead (allocation, a thread handoff of ~10 us per parallel loop).
 * Reported as images/s by {@code jcnn bench sparse}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CompressedModelBenchmark {
  /** Deep Compression's LeNet-5: pruned share and shared levels of conv1, conv2, fc1, fc2. */
  static final double[] PRUNED = {0.34, 0.88, 0.92, 0.81};

  static final int[] LEVELS = {256, 256, 32, 32};

  @Param({"1"})
  int batch;

  @Param("2")
  int threads;

  private Module dense;
  private Module compressed;
  private Variable x;

  /** The two executing models: [dense, compressed], and the bytes each holds. */
  public static Module[] models() {
    Module m = Models.create("lenet5", 10, 1);
    Map<String, JczTensor> tensors = new LinkedHashMap<>();
    Random rnd = new Random(3);
    int layer = 0;
    for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
      Tensor t = e.getValue();
      if (!e.getKey().endsWith("weight") || t.rank() < 2) {
        tensors.put(e.getKey(), new JczTensor.Raw(t.data().clone(), t.shape()));
        continue;
      }
      float[] w = t.data();
      float[] p = SparseBenchmark.pruned(rnd, w.length, PRUNED[layer]);
      float[] cb = new float[LEVELS[layer++]];
      int[] codes = SparseBenchmark.share(p, cb);
      for (int j = 0; j < w.length; j++) {
        w[j] = codes[j] < 0 ? 0f : cb[codes[j]];
      }
      tensors.put(e.getKey(), new JczTensor.Coded(codes, cb, t.shape()));
    }
    JczModel jm = new JczModel("lenet5", 10, "{}", tensors);
    Module c = Models.create("lenet5", 10, 1);
    c.loadStateDict(m.stateDict());
    ExecPlan.apply(c, jm, ExecMode.COMPRESSED);
    m.eval();
    c.eval();
    return new Module[] {m, c};
  }

  @Setup(Level.Trial)
  public void setup() {
    Backends.use(new CpuBackend(threads));
    Module[] two = models();
    dense = two[0];
    compressed = two[1];
    x = Variable.constant(Tensor.randn(7, 1f, batch, 1, 28, 28));
  }

  @Benchmark
  public Tensor dense() {
    return Inference.run(dense, x);
  }

  @Benchmark
  public Tensor compressed() {
    return Inference.run(compressed, x);
  }
}
