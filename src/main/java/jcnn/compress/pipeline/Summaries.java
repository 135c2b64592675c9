package jcnn.compress.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.compress.codec.SizeReport;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.report.CompressionSummary;
import jcnn.report.Published;

/**
 * Turns a finished {@link PipelineRun} into a {@link CompressionSummary}: counts the non-zeros of
 * the decoded network, computes Table III's byte columns (dense, pruned, pruned as CSR, Eq. 2) and
 * gathers the weights per stage. Tested through {@code CompressionPipelineTest}.
 */
final class Summaries {
  private Summaries() {}

  static CompressionSummary build(
      PipelineRun run, SizeReport file, Published published, double seconds) {
    Module m = run.decoded;
    Map<String, Parameter> params = m.namedParameters();
    long nParams = m.numParameters();
    long prunable = 0;
    long zeros = 0;
    long nonZeroParams = 0;
    long csr = 0;
    Map<String, Double> perLayer = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      float[] v = e.getValue().value().data();
      long nz = nonZeros(v);
      nonZeroParams += nz;
      if (run.afterPruning.containsKey(e.getKey())) {
        prunable += v.length;
        zeros += v.length - nz;
        perLayer.put(e.getKey(), (double) (v.length - nz) / v.length);
        int rows = e.getValue().shape().dim(0);
        csr += 8 * nz + 4L * (rows + 1); // value + column index per non-zero, row pointers
      } else {
        csr += 4L * v.length;
      }
    }
    double eq2 = 0;
    for (SizeReport.TensorSize t : file.tensors()) {
      eq2 += t.eq2Bytes();
    }
    CompressionSummary.Sizes sizes =
        new CompressionSummary.Sizes(4 * nParams, 4 * nonZeroParams, csr, eq2, file.fileBytes());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("model", run.src.name());
    settings.put("dataset", run.data.dataset());
    settings.put("data split", run.data.note());
    settings.putAll(run.opts.describe(run.weightDecay));
    return new CompressionSummary(
        run.src.name(),
        run.data.dataset(),
        nParams,
        settings,
        new CompressionSummary.Accuracies(run.initial, run.pruned, run.quantized, run.fromFile),
        new CompressionSummary.PruneStats(prunable, zeros, nonZeroParams, perLayer),
        sizes,
        file,
        run.curves,
        run.curveNote,
        run.rounds,
        weights(run, params),
        published,
        true,
        seconds);
  }

  private static List<CompressionSummary.LayerWeights> weights(
      PipelineRun run, Map<String, Parameter> params) {
    List<CompressionSummary.LayerWeights> out = new ArrayList<>();
    for (String name : run.afterPruning.keySet()) {
      out.add(
          new CompressionSummary.LayerWeights(
              name,
              params.get(name).shape().dims(),
              run.before.get(name),
              run.afterPruning.get(name),
              run.afterSharing.get(name),
              run.centroids.get(name)));
    }
    return out;
  }

  private static long nonZeros(float[] v) {
    long n = 0;
    for (float x : v) {
      n += x != 0f ? 1 : 0;
    }
    return n;
  }
}
