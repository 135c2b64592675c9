package jcnn.compress.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jcnn.compress.codec.JczModel;
import jcnn.compress.codec.JczTensor;
import jcnn.compress.codec.JczWriter;
import jcnn.compress.prune.OneShot;
import jcnn.compress.prune.PruneCriterion;
import jcnn.compress.prune.Pruning;
import jcnn.compress.share.WeightSharing;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.tensor.Shape;
import jcnn.train.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network to a .jcz file and back: shared weights are coded, the decoded network equals the
 * in-memory one bit for bit, unshared sparse tensors are stored exactly, files are recognised by
 * their magic, and a file that does not fit its network is one clear IOException.
 */
class CompressedModelTest {
  @TempDir Path dir;

  /** LeNet-300-100 at init, 90% pruned (baked), weights and biases shared. */
  private static Module compressed(boolean share) {
    Module m = Models.create("lenet300", 10, 5);
    OneShot.prune(m, PruneCriterion.global(), 0.9);
    Pruning.bake(m);
    if (share) {
      WeightSharing.tzelepis(1)
          .apply(
              m, (path, p) -> WeightSharing.isConvOrLinearWeight(path, p) || path.endsWith("bias"));
    }
    return m;
  }

  @Test
  void sharedNetworkRoundTripsBitForBit() throws IOException {
    Module m = compressed(true);
    JczModel jm = CompressedModel.toJcz(m, "lenet300", 10, "{\"dataset\":\"mnist\"}");
    assertEquals(6, jm.tensors().size()); // 3 weights and 3 biases, no sharing buffers
    assertInstanceOf(JczTensor.Coded.class, jm.tensors().get("1.weight"));
    Path f = dir.resolve("m.jcz");
    JczWriter.write(f, jm);
    assertTrue(CompressedModel.isJcz(f));
    CompressedModel.Loaded back = CompressedModel.load(f);
    assertEquals("lenet300", back.name());
    assertEquals("{\"dataset\":\"mnist\"}", back.metadata());
    List<String> diff =
        CompressedModel.mismatches(
            CompressedModel.effectiveValues(m), CompressedModel.values(back.model()));
    assertTrue(diff.isEmpty(), diff.toString());
  }

  @Test
  void unsharedSparseTensorsAreStoredExactly() throws IOException {
    Module m = compressed(false);
    JczModel jm = CompressedModel.toJcz(m, "lenet300", 10, "{}");
    assertInstanceOf(JczTensor.Coded.class, jm.tensors().get("1.weight")); // distinct values
    assertInstanceOf(JczTensor.Raw.class, jm.tensors().get("1.bias")); // no zeros: raw
    Path f = dir.resolve("exact.jcz");
    JczWriter.write(f, jm);
    Module back = CompressedModel.load(f).model();
    assertTrue(
        CompressedModel.mismatches(CompressedModel.values(m), CompressedModel.values(back))
            .isEmpty());
    // the file is far below the dense float32 size although no weight was rounded
    assertTrue(Files.size(f) < 4L * m.numParameters() / 4, Files.size(f) + " bytes");
  }

  @Test
  void unusedCentroidsAreDroppedWithoutChangingAWeight() {
    int[] codes = new int[400];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = i % 4 == 0 ? -1 : (i % 3) * 2 + 1; // uses 1, 3, 5 of 8
    }
    float[] book = {-4, -3, -2, -1, 1, 2, 3, 4};
    JczTensor t = CompressedModel.coded(codes, book, Shape.of(20, 20));
    JczTensor.Coded c = assertInstanceOf(JczTensor.Coded.class, t);
    assertEquals(3, c.codebook().length);
    float[] want = new JczTensor.Coded(codes, book, Shape.of(20, 20)).decode();
    float[] got = c.decode();
    for (int i = 0; i < want.length; i++) {
      assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "at " + i);
    }
  }

  @Test
  void exactKeepsNegativeZeroAndFallsBackToRaw() {
    float[] v = {0f, -0f, 1.5f, 0f};
    JczTensor t = CompressedModel.exact(v, Shape.of(4));
    float[] d = t.decode();
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(d[i]), "at " + i);
    }
    assertInstanceOf(JczTensor.Raw.class, CompressedModel.exact(new float[] {1, 2}, Shape.of(2)));
  }

  @Test
  void mismatchesNamesDifferingAndMissingTensors() {
    Map<String, float[]> a = Map.of("x", new float[] {1, 2}, "y", new float[] {0f});
    Map<String, float[]> b =
        Map.of("x", new float[] {1, 2}, "y", new float[] {-0f}, "z", new float[0]);
    List<String> d = CompressedModel.mismatches(a, b);
    assertTrue(d.contains("y") && d.contains("z (unexpected)") && !d.contains("x"), d.toString());
  }

  @Test
  void safetensorsIsNotJczAndMissingFilesAreNamed() throws IOException {
    Path st = dir.resolve("m.safetensors");
    ModelFile.save(st, Models.create("lenet300", 10, 1), "lenet300", 10, null);
    assertFalse(CompressedModel.isJcz(st));
    IOException e =
        assertThrows(IOException.class, () -> CompressedModel.isJcz(dir.resolve("none.jcz")));
    assertTrue(e.getMessage().contains("none.jcz"), e.getMessage());
  }

  @Test
  void aFileThatDoesNotFitItsNetworkIsOneIoException() throws IOException {
    Module m = compressed(true);
    Path f = dir.resolve("wrong.jcz");
    JczWriter.write(f, CompressedModel.toJcz(m, "lenet5", 10, "{}")); // lenet300 tensors
    IOException e = assertThrows(IOException.class, () -> CompressedModel.load(f));
    assertTrue(e.getMessage().startsWith(f + ": does not fit lenet5"), e.getMessage());
    Path g = dir.resolve("unknown.jcz");
    JczWriter.write(g, CompressedModel.toJcz(m, "nonet", 10, "{}"));
    e = assertThrows(IOException.class, () -> CompressedModel.load(g));
    assertTrue(e.getMessage().contains("unknown model 'nonet'"), e.getMessage());
  }
}
