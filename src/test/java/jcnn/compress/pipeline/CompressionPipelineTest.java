package jcnn.compress.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.compress.prune.IterativePruning;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.report.CompressionSummary;
import jcnn.train.ModelFile;
import jcnn.train.TrainConfig;
import jcnn.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end on LeNet-300-100 trained briefly on a slice of the shipped MNIST, with a
 * 1,000-image retraining slice: the .jcz file decodes to the in-memory model bit for bit and scores
 * the same, the sparsity asked for is reached, the JSON has its fields, the report's files exist
 * and its PNGs are images; the Tzelepis loop rolls back; validation is the split training held out.
 */
class CompressionPipelineTest {
  @TempDir static Path dir;
  private static Backend previous;
  private static Path modelFile;
  private static final List<String> LOG = new ArrayList<>();

  @BeforeAll
  static void train() throws IOException {
    previous = Backends.use(Backends.cpu(2));
    TrainConfig cfg =
        new TrainConfig(
            "lenet300",
            "mnist",
            1,
            32,
            0.05,
            "sgd",
            0.9,
            5e-4,
            "cosine",
            3,
            2,
            500,
            false,
            0,
            2000,
            null,
            dir.resolve("train").toString(),
            null,
            0,
            0);
    new Trainer(cfg, new Trainer.Listener() {}).run(false);
    modelFile = dir.resolve("train").resolve("best.safetensors");
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static CompressionPipeline pipeline(CompressOptions o) {
    return new CompressionPipeline(o.trainLimit(1000), LOG::add);
  }

  @Test
  void oneShotKmeansRoundTripsAndReports() throws IOException {
    Path out = dir.resolve("oneshot");
    CompressionResult r =
        pipeline(
                new CompressOptions()
                    .criterion("global")
                    .target(0.9)
                    .retrainEpochs(1)
                    .clusters("16"))
            .run(modelFile, out);
    CompressionSummary s = r.summary();
    // the file decodes to the in-memory compressed model, bit for bit, and scores the same
    List<String> diff =
        CompressedModel.mismatches(
            CompressedModel.effectiveValues(r.compressed()),
            CompressedModel.values(CompressedModel.load(r.jczFile()).model()));
    assertTrue(diff.isEmpty(), diff.toString());
    assertTrue(s.bitIdentical());
    assertEquals(s.accuracy().quantized().test(), s.accuracy().fromFile().test(), 0);
    assertEquals(s.accuracy().quantized().val(), s.accuracy().fromFile().val(), 0);
    // sparsity: class-blind prunes exactly round(0.9 n) of the n conv and linear weights
    assertEquals(266_200, s.pruning().prunableWeights());
    assertEquals(Math.round(0.9 * 266_200), s.pruning().zeroWeights());
    assertEquals(Files.size(r.jczFile()), s.sizes().file());
    assertEquals(4L * 266_610, s.sizes().dense());
    assertTrue(s.sizes().fileRate() > 10, "rate " + s.sizes().fileRate());
    assertTrue(s.accuracy().quantized().test() > 0.7, s.accuracy().toString());
    checkJson(s.toJson());
    checkReport(r, out);
  }

  private static void checkJson(JsonObject j) {
    for (String k :
        new String[] {
          "model",
          "dataset",
          "params",
          "settings",
          "accuracy",
          "pruned_fraction",
          "bytes",
          "layers",
          "bit_identical"
        }) {
      assertTrue(j.has(k), k + " missing in " + j);
    }
    for (String stage : new String[] {"initial", "pruned", "quantized", "from_file"}) {
      JsonObject a = j.getAsJsonObject("accuracy").getAsJsonObject(stage);
      assertTrue(a.has("val") && a.has("test"), stage + ": " + a);
    }
    for (String k :
        new String[] {"dense", "pruned", "pruned_csr", "eq2", "eq2_rate", "file", "file_rate"}) {
      assertTrue(j.getAsJsonObject("bytes").has(k), "bytes." + k);
    }
    assertEquals(6, j.getAsJsonArray("layers").size()); // three weights, three biases
  }

  private static void checkReport(CompressionResult r, Path out) throws IOException {
    assertNotNull(r.report());
    String md = Files.readString(out.resolve("report.md"));
    for (String s :
        new String[] {"Table II", "Table III", "Eq. 2", "relative indices", "pruning-curve.png"}) {
      assertTrue(md.contains(s), "report.md lacks '" + s + "'");
    }
    List<Path> pngs = new ArrayList<>(r.report().histograms());
    pngs.add(r.report().curve());
    assertEquals(4, pngs.size());
    for (Path p : pngs) {
      BufferedImage img = ImageIO.read(p.toFile());
      assertNotNull(img, p + " is not an image");
      assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, p.toString());
    }
  }

  @Test
  void tzelepisLoopRollsBackAndUnquantizedFilesAreExact() throws IOException {
    CompressionResult r =
        pipeline(
                new CompressOptions()
                    .criterion("layer")
                    .maxDrop(0.2)
                    .step(0.45)
                    .retrainEpochs(1)
                    .quantize(false)
                    .curve("none"))
            .writeReport(false)
            .run(modelFile, dir.resolve("loop"));
    CompressionSummary s = r.summary();
    assertNull(r.report());
    List<IterativePruning.Round> rounds = s.rounds();
    assertEquals(0, rounds.get(0).index());
    int chosen = 0;
    for (IterativePruning.Round x : rounds) {
      chosen = x.accepted() ? x.index() : chosen;
    }
    IterativePruning.Round last = rounds.get(rounds.size() - 1);
    // either every round passed up to 100%, or the last one failed and was rolled back
    assertTrue(
        last.accepted() ? last.target() == 1.0 : chosen == last.index() - 1, rounds.toString());
    assertEquals(rounds.get(chosen).sparsity(), s.pruning().fraction(), 1e-9);
    // no quantization: the file holds the pruned weights exactly
    assertTrue(
        CompressedModel.mismatches(
                CompressedModel.values(r.compressed()), CompressedModel.values(r.decoded()))
            .isEmpty());
    assertEquals(s.accuracy().pruned().test(), s.accuracy().fromFile().test(), 0);
    assertEquals(s.accuracy().pruned(), s.accuracy().quantized());
  }

  @Test
  void validationIsTheSplitTrainingHeldOut() throws IOException {
    ModelFile.Loaded m = ModelFile.load(modelFile);
    PipelineData d = PipelineData.load(m, null, null, 700, w -> {});
    assertEquals(500, d.val().size());
    assertEquals(700, d.train().size());
    Dataset expected = Datasets.load("mnist", true, null).split(500, 3).validation();
    for (int i = 0; i < d.val().size(); i += 37) {
      assertEquals(expected.label(i), d.val().label(i));
      assertArrayEquals(expected.image(i), d.val().image(i));
    }
    assertTrue(d.note().contains("held out"), d.note());
    assertFalse(d.test().isFromTrainingSet());
  }

  @Test
  void badOptionsNameTheirFlag() {
    assertMessage("--prune", new CompressOptions().criterion("nope").target(0.5));
    assertMessage("not both", new CompressOptions().target(0.5).maxDrop(0.01));
    assertMessage("--target X", new CompressOptions());
    assertMessage("--clusters", new CompressOptions().target(0.5).clusters("many"));
    assertMessage("--clusters", new CompressOptions().target(0.5).clusters("256/0"));
    assertMessage("--target", new CompressOptions().target(1.5));
  }

  private static void assertMessage(String part, CompressOptions o) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::validate);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void clusterSpecs() {
    jcnn.tensor.Shape conv = jcnn.tensor.Shape.of(20, 1, 5, 5);
    jcnn.tensor.Shape fc = jcnn.tensor.Shape.of(500, 800);
    assertEquals(32, Clusters.parse("dynamic").clusters(conv, 0));
    assertEquals(64, Clusters.parse("dynamic").clusters(fc, 0)); // 400,000 weights: two blocks
    assertEquals(7, Clusters.parse("7").clusters(fc, 0));
    assertEquals(256, Clusters.parse("256/32").clusters(conv, 0));
    assertEquals(32, Clusters.parse("256/32").clusters(fc, 0));
  }
}
