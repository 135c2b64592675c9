package jcnn.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jcnn.nn.io.AtomicWrite;

/**
 * Writes a compression run's report into a folder: {@code report.md} (tables, see {@link
 * ReportText}), {@code pruning-curve.png} and one {@code hist-<layer>.png} per prunable layer
 * ({@link Charts}). Every file is written to a temporary name and renamed. Tested in {@code
 * ReportWriterTest}.
 */
public final class ReportWriter {
  public static final String REPORT = "report.md";
  public static final String CURVE = "pruning-curve.png";

  /** The files written. */
  public record Written(Path report, Path curve, List<Path> histograms) {}

  private ReportWriter() {}

  public static Written write(Path dir, CompressionSummary s) throws IOException {
    Files.createDirectories(dir);
    Path curve = null;
    if (!s.curves().isEmpty() || !s.rounds().isEmpty()) {
      curve = dir.resolve(CURVE);
      String title = "Pruning curve: " + s.model() + " on " + s.dataset() + " (validation split)";
      AtomicWrite.write(curve, Charts.pruningCurve(title, s.curves(), s.rounds()));
    }
    List<Path> hists = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (CompressionSummary.LayerWeights w : s.weights()) {
      String name = "hist-" + fileName(w.name()) + ".png";
      Path f = dir.resolve(name);
      AtomicWrite.write(f, Charts.histograms(w));
      hists.add(f);
      names.add(name);
    }
    String md = new ReportText(s).markdown(curve == null ? null : CURVE, names);
    Path report = dir.resolve(REPORT);
    AtomicWrite.write(report, md.getBytes(StandardCharsets.UTF_8));
    return new Written(report, curve, List.copyOf(hists));
  }

  /** A parameter path as a file name: {@code features.0.weight} -> {@code features_0_weight}. */
  static String fileName(String path) {
    return path.replaceAll("[^A-Za-z0-9-]", "_");
  }
}
