package jcnn.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcnn.compress.prune.Curve;
import jcnn.compress.prune.IterativePruning;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's PNG charts, drawn with XChart off screen ({@code java.awt.headless} is set before
 * any AWT class loads, so no display is needed):
 *
 * <ul>
 *   <li>{@link #pruningCurve}: validation accuracy against the fraction of weights pruned, one line
 *       per criterion, after Tzelepis et al. 2019, Figs. 3-7 (class-blind against layer-wise), plus
 *       the rounds of the iterative loop when it ran.
 *   <li>{@link #histograms}: one layer's weight histogram before pruning, after pruning and after
 *       clustering, side by side, after their Fig. 2. Zeros are left out of the last two panels
 *       (their count is in the title): the pruned spike would flatten everything else.
 * </ul>
 *
 * Tested in {@code ReportWriterTest} (the bytes decode as PNG images of the stated size).
 */
public final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  static final int BINS = 81;
  static final int PANEL_W = 480;
  static final int PANEL_H = 360;

  private Charts() {}

  /** The pruning curve as PNG bytes; rounds may be empty. */
  public static byte[] pruningCurve(
      String title, List<Curve> curves, List<IterativePruning.Round> rounds) throws IOException {
    XYChart c =
        new XYChartBuilder()
            .width(800)
            .height(520)
            .title(title)
            .xAxisTitle("weights pruned (%)")
            .yAxisTitle("validation accuracy")
            .build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
    c.getStyler().setDecimalPattern("0.###");
    for (Curve curve : curves) {
      XYSeries s = c.addSeries(label(curve.name()), percent(curve.sparsity()), curve.accuracy());
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    if (!rounds.isEmpty()) {
      double[] x = new double[rounds.size()];
      double[] y = new double[rounds.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = 100 * rounds.get(i).sparsity();
        y[i] = rounds.get(i).accuracy();
      }
      XYSeries s = c.addSeries("this run's pruning rounds (retrained)", x, y);
      s.setMarker(SeriesMarkers.DIAMOND);
    }
    return png(c);
  }

  /** The three histograms of one layer, side by side, as PNG bytes. */
  public static byte[] histograms(CompressionSummary.LayerWeights w) throws IOException {
    float[] range = range(w.before());
    // fine-tuned centroids may move past the trained weights' extremes
    widen(range, w.shared());
    widen(range, w.centroids());
    List<XYChart> panels = new ArrayList<>();
    panels.add(panel("before pruning", w.before(), range, false, null));
    panels.add(panel("after pruning", w.pruned(), range, true, null));
    if (w.shared() != null) {
      panels.add(panel("after clustering", w.shared(), range, true, w.centroids()));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(panels, 1, panels.size(), out, BitmapEncoder.BitmapFormat.PNG);
    return out.toByteArray();
  }

  /**
   * A binary or ternary layer: its latent real-valued weights after training and, marked on the
   * axis, the levels the layer computes with ({@code +-a} per channel for binary, {@code +wp, 0,
   * -wn} for ternary), as PNG bytes.
   */
  public static byte[] levels(String layer, float[] latent, float[] levels) throws IOException {
    float[] range = range(latent);
    widen(range, levels);
    XYChart c = panel(layer + ": latent weights", latent, range, false, null);
    addMarkers(c, levels, String.format(Locale.ROOT, "%d levels", levels.length));
    c.getStyler().setLegendVisible(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
    return out.toByteArray();
  }

  private static XYChart panel(
      String stage, float[] values, float[] range, boolean skipZeros, float[] centroids) {
    long[] counts = new long[BINS];
    long zeros = 0;
    double width = (range[1] - range[0]) / BINS;
    for (float v : values) {
      if (skipZeros && v == 0f) {
        zeros++;
        continue;
      }
      counts[bin(v, range[0], width)]++;
    }
    String title =
        skipZeros
            ? String.format(Locale.ROOT, "%s (%,d zeros not shown)", stage, zeros)
            : String.format(Locale.ROOT, "%s (%,d weights)", stage, values.length);
    XYChart c =
        new XYChartBuilder()
            .width(PANEL_W)
            .height(PANEL_H)
            .title(title)
            .xAxisTitle("weight")
            .yAxisTitle("count")
            .build();
    c.getStyler().setXAxisMin((double) range[0]);
    c.getStyler().setXAxisMax((double) range[1]); // the same axis in every panel of a layer
    c.getStyler().setLegendVisible(centroids != null);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.getStyler().setDecimalPattern("0.###");
    double[] x = new double[BINS];
    double[] y = new double[BINS];
    for (int b = 0; b < BINS; b++) {
      x[b] = range[0] + (b + 0.5) * width;
      y[b] = counts[b];
    }
    XYSeries s = c.addSeries("weights", x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
    s.setMarker(SeriesMarkers.NONE);
    if (centroids != null && centroids.length > 0) {
      addCentroids(c, centroids);
    }
    return c;
  }

  /** The centroids as markers on the axis (y = 0) so each cluster's value can be read off. */
  private static void addCentroids(XYChart c, float[] centroids) {
    addMarkers(c, centroids, String.format(Locale.ROOT, "%d centroids", centroids.length));
  }

  private static void addMarkers(XYChart c, float[] values, String label) {
    double[] x = new double[values.length];
    double[] y = new double[values.length];
    for (int j = 0; j < values.length; j++) {
      x[j] = values[j];
      y[j] = 0;
    }
    XYSeries s = c.addSeries(label, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.TRIANGLE_UP);
  }

  /** [lo, hi] of the values, widened slightly so the extremes fall inside the outer bins. */
  static float[] range(float[] values) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(lo < hi)) { // empty or constant
      lo = Float.isFinite(lo) ? lo - 1 : -1;
      hi = lo + 2;
    }
    float pad = (hi - lo) * 1e-3f;
    return new float[] {lo - pad, hi + pad};
  }

  /** Widens [lo, hi] to cover every value of v (null: nothing). */
  private static void widen(float[] range, float[] v) {
    if (v != null) {
      for (float x : v) {
        range[0] = Math.min(range[0], x);
        range[1] = Math.max(range[1], x);
      }
    }
  }

  private static int bin(float v, float lo, double width) {
    int b = (int) ((v - lo) / width);
    return Math.max(0, Math.min(BINS - 1, b));
  }

  private static double[] percent(double[] f) {
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = 100 * f[i];
    }
    return out;
  }

  /** A curve's legend: the criterion with the name the literature gives it. */
  static String label(String criterion) {
    switch (criterion) {
      case "global":
        return "global (class-blind, Tzelepis)";
      case "uniform":
        return "uniform (same fraction per layer)";
      case "layer":
        return "layer-wise";
      case "std":
        return "std (class-distribution, Han)";
      default:
        return criterion;
    }
  }

  private static byte[] png(XYChart c) throws IOException {
    return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
  }
}
