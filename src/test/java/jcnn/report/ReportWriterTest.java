package jcnn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import jcnn.compress.codec.JczModel;
import jcnn.compress.codec.JczTensor;
import jcnn.compress.codec.JczWriter;
import jcnn.compress.codec.SizeReport;
import jcnn.compress.prune.Curve;
import jcnn.compress.prune.IterativePruning;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on a made-up run: report.md has Tables II and III with the published row, the Eq. 2
 * breakdown adds up to the file, CIFAR numbers carry the JPEG note, the PNGs decode at their stated
 * sizes, and the JSON has every figure (NaN as null).
 */
class ReportWriterTest {
  @TempDir Path dir;

  private static float[] gaussian(int n, long seed, double keep) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble() < keep ? (float) (0.1 * r.nextGaussian()) : 0f;
    }
    return v;
  }

  private static SizeReport file() {
    int[] codes = new int[1000];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < codes.length; i++) {
      codes[i] = r.nextInt(10) == 0 ? r.nextInt(8) : -1;
    }
    float[] book = {-0.3f, -0.2f, -0.1f, -0.05f, 0.05f, 0.1f, 0.2f, 0.3f};
    Map<String, JczTensor> t = new LinkedHashMap<>();
    t.put("fc.weight", new JczTensor.Coded(codes, book, Shape.of(10, 100)));
    t.put("fc.bias", new JczTensor.Raw(new float[10], Shape.of(10)));
    return JczWriter.encode(new JczModel("tiny", 10, "{}", t)).report();
  }

  static CompressionSummary summary(String dataset, Published published) {
    SizeReport file = file();
    double[] f = {0, 0.5, 0.9};
    List<Curve> curves =
        List.of(
            new Curve("global", f, f, new double[] {0.9, 0.9, 0.85}),
            new Curve("uniform", f, f, new double[] {0.9, 0.88, 0.6}));
    List<IterativePruning.Round> rounds =
        List.of(
            new IterativePruning.Round(0, 0, 0, 0.9, true),
            new IterativePruning.Round(1, 0.5, 0.5, 0.9, true),
            new IterativePruning.Round(2, 1.0, 1.0, 0.1, false));
    float[] before = gaussian(1000, 2, 1);
    float[] pruned = gaussian(1000, 2, 0.1);
    CompressionSummary.LayerWeights w =
        new CompressionSummary.LayerWeights(
            "fc.weight", new int[] {10, 100}, before, pruned, pruned, new float[] {-0.1f, 0.1f});
    CompressionSummary.Accuracy a = new CompressionSummary.Accuracy(0.9, 0.89);
    return new CompressionSummary(
        "tiny",
        dataset,
        1010,
        Map.of("criterion", "global"),
        new CompressionSummary.Accuracies(a, a, a, a),
        new CompressionSummary.PruneStats(1000, 900, 110, Map.of("fc.weight", 0.9)),
        new CompressionSummary.Sizes(4040, 440, 900, 500.5, file.fileBytes()),
        file,
        curves,
        "one-shot curves",
        rounds,
        List.of(w),
        published,
        true,
        1.5);
  }

  @Test
  void writesTablesChartsAndThePublishedRow() throws IOException {
    ReportWriter.Written w = ReportWriter.write(dir, summary("mnist", Published.TZELEPIS_MNIST));
    String md = Files.readString(w.report());
    for (String s :
        new String[] {
          "Table II",
          "Table III",
          "Tzelepis et al. 2019, Tables II-III",
          "9,478",
          "181.9x",
          "Eq. 2 against the bytes on disk",
          "positions (relative indices)",
          "fc.weight",
          "pruning-curve.png",
          "hist-fc_weight.png",
          "rolled back"
        }) {
      assertTrue(md.contains(s), "report.md lacks '" + s + "'");
    }
    assertFalse(md.contains("JPEG"), "an MNIST report needs no JPEG note");
    BufferedImage curve = ImageIO.read(w.curve().toFile());
    assertNotNull(curve);
    assertEquals(800, curve.getWidth());
    assertEquals(520, curve.getHeight());
    BufferedImage hist = ImageIO.read(w.histograms().get(0).toFile());
    assertNotNull(hist);
    assertEquals(3 * Charts.PANEL_W, hist.getWidth()); // before, after pruning, after clustering
    assertEquals(Charts.PANEL_H, hist.getHeight());
  }

  @Test
  void cifarNumbersCarryTheJpegNote() throws IOException {
    ReportWriter.Written w = ReportWriter.write(dir, summary("cifar10", Published.TZELEPIS_CIFAR));
    String md = Files.readString(w.report());
    assertTrue(md.contains(ReportText.JPEG_NOTE), md);
    for (String line : md.split("\n")) {
      if (line.startsWith("| ours, test") || line.startsWith("| ours, validation")) {
        assertTrue(line.contains("JPEG-decoded"), line);
      }
    }
  }

  @Test
  void eq2BreakdownAddsUpToTheFile() {
    SizeReport f = file();
    long bits = 0;
    for (SizeReport.TensorSize t : f.tensors()) {
      bits += t.valueBits() + t.codeBits() + t.indexBits() + t.codebookBits() + t.overheadBits();
    }
    assertEquals(f.fileBytes(), bits / 8 + f.headerBytes() + f.trailerBytes());
  }

  @Test
  void jsonHasEveryFigureAndNullForNaN() {
    JsonObject j = summary("mnist", Published.HAN_LENET5).toJson();
    assertEquals(0.9, j.get("pruned_fraction").getAsDouble(), 1e-12);
    assertEquals(4040, j.getAsJsonObject("bytes").get("dense").getAsLong());
    assertTrue(j.getAsJsonObject("published").get("pruned").isJsonNull()); // Han gives none
    assertEquals(2, j.getAsJsonArray("layers").size());
    assertTrue(j.get("bit_identical").getAsBoolean());
    assertNull(summary("mnist", null).toJson().get("published"));
  }

  @Test
  void histogramRangeCoversConstantAndEmptyInput() {
    float[] r = Charts.range(new float[] {2f, 2f});
    assertTrue(r[0] < 2f && r[1] > 2f);
    float[] e = Charts.range(new float[0]);
    assertTrue(e[0] < e[1]);
  }
}
