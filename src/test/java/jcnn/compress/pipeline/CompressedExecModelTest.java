package jcnn.compress.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.compress.codec.JczWriter;
import jcnn.compress.exec.ExecMode;
import jcnn.compress.prune.OneShot;
import jcnn.compress.prune.PruneCriterion;
import jcnn.compress.prune.Pruning;
import jcnn.compress.share.WeightSharing;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole networks from a .jcz file run in their compressed form give the logits of the decoded dense
 * network: a pruned and shared LeNet-5 (CSR with byte codes), binary and ternary LeNet-5 (bit
 * planes), an unscaled BNN MLP with binary activations (XNOR), and pattern-binarized SEP-Net
 * (grouped binary 3x3 convs); in every case the executing model holds fewer bytes than the dense
 * one.
 */
class CompressedExecModelTest {
  @TempDir Path dir;

  private Path file(Module m, String name) throws IOException {
    Path f = dir.resolve(name.replace('+', '_') + ".jcz");
    JczWriter.write(f, CompressedModel.toJcz(m, name, 10, "{}"));
    return f;
  }

  private static float[] logits(Module m, Tensor x) {
    m.eval();
    try (var g = GradMode.noGrad()) {
      return m.forward(Variable.constant(x)).value().data();
    }
  }

  private static void check(Path f, int... inputDims) throws IOException {
    CompressedModel.Loaded dense = CompressedModel.load(f, ExecMode.DENSE);
    for (ExecMode mode : new ExecMode[] {ExecMode.COMPRESSED, ExecMode.AUTO}) {
      CompressedModel.Loaded c = CompressedModel.load(f, mode);
      for (int n : new int[] {1, 3}) {
        int[] dims = inputDims.clone();
        dims[0] = n;
        Tensor x = Tensor.randn(11, 1f, dims);
        float[] want = logits(dense.model(), x);
        float[] got = logits(c.model(), x);
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
          float tol = 1e-4f * (1 + Math.abs(want[i]));
          assertTrue(
              Math.abs(want[i] - got[i]) <= tol,
              f.getFileName()
                  + " "
                  + mode
                  + " n="
                  + n
                  + " logit "
                  + i
                  + ": "
                  + want[i]
                  + " vs "
                  + got[i]);
        }
      }
      if (mode == ExecMode.COMPRESSED) {
        assertTrue(
            c.layers().stream().anyMatch(l -> !l.form().equals("dense float32")),
            c.layers().toString());
        assertTrue(c.bytes() < dense.bytes(), c.bytes() + " vs " + dense.bytes());
        assertEquals(dense.bytes(), c.denseBytes());
      }
    }
  }

  @Test
  void prunedSharedLenet5() throws IOException {
    Module m = Models.create("lenet5", 10, 3);
    OneShot.prune(m, PruneCriterion.global(), 0.92);
    Pruning.bake(m);
    WeightSharing.tzelepis(1).apply(m, WeightSharing::isConvOrLinearWeight);
    Path f = file(m, "lenet5");
    check(f, 1, 1, 28, 28);
    CompressedModel.Loaded c = CompressedModel.load(f, ExecMode.COMPRESSED);
    assertTrue(c.bytes() <= 0.1 * c.denseBytes(), c.bytes() + " of " + c.denseBytes() + " bytes");
    // dense: 4 bytes per parameter of LeNet-5, which has no buffers
    assertEquals(4L * 431_080, CompressedModel.load(f, ExecMode.DENSE).bytes());
  }

  /** codes at 66% density (-1 = pruned) into a codebook of {@code levels} centroids. */
  private static jcnn.compress.codec.JczTensor.Coded coded(Tensor w, int levels, long seed) {
    java.util.Random r = new java.util.Random(seed);
    int[] codes = new int[w.numel()];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = r.nextDouble() < 0.34 ? -1 : r.nextInt(levels);
    }
    float[] cb = new float[levels];
    for (int i = 0; i < levels; i++) {
      cb[i] = (float) r.nextGaussian();
    }
    return new jcnn.compress.codec.JczTensor.Coded(codes, cb, w.shape());
  }

  @Test
  void denseCodesOfAFullByteCodebookRunSparseAndWiderOnesDense() {
    // 256 centroids leave no byte for "pruned", so CodedRows cannot take them: CSR with byte
    // codes (3 bytes a non-zero) still beats float32; past 256 only float CSR (6 bytes) would,
    // which at 66% density holds more than dense float32, so such a layer stays dense
    Module m = Models.create("lenet5", 10, 3);
    java.util.Map<String, jcnn.compress.codec.JczTensor> tensors = new java.util.LinkedHashMap<>();
    for (var e : m.stateDict().entrySet()) {
      Tensor t = e.getValue();
      tensors.put(
          e.getKey(),
          e.getKey().equals("0.weight")
              ? coded(t, 256, 1)
              : e.getKey().equals("3.weight")
                  ? coded(t, 300, 2)
                  : new jcnn.compress.codec.JczTensor.Raw(t.data().clone(), t.shape()));
    }
    var file = new jcnn.compress.codec.JczModel("lenet5", 10, "{}", tensors);
    var layers = jcnn.compress.exec.ExecPlan.apply(m, file, ExecMode.COMPRESSED);
    assertTrue(layers.get(0).form().startsWith("csr"), layers.toString());
    assertEquals("dense float32", layers.get(1).form(), layers.toString());
  }

  @Test
  void binaryAndTernaryLenet5() throws IOException {
    check(file(Models.create("lenet5+binary", 10, 3), "lenet5+binary"), 1, 1, 28, 28);
    check(file(Models.create("lenet5+ternary", 10, 3), "lenet5+ternary"), 1, 1, 28, 28);
  }

  /**
   * Unscaled, so the dense path's float sums of +-1 are exact integers too: with a scale, XNOR's s
   * * (integer dot) is exact where the dense sum of +-s rounds, and a dot of exactly 0 (2.5% of
   * 1024-wide rows) can then change sign downstream; CompressedExecTest checks the scaled kernels.
   */
  @Test
  void bnnMlpRunsXnor() throws IOException {
    String name = "bnn-mlp-0.25x+binary+unscaled+binact";
    check(file(Models.create(name, 10, 3), name), 1, 1, 28, 28);
  }

  @Test
  void patternSepnet() throws IOException {
    check(file(Models.create("sepnet-0.25x+pattern", 10, 3), "sepnet-0.25x+pattern"), 1, 3, 32, 32);
  }
}
