package jcnn.compress.pipeline;

import jcnn.compress.share.ClusterCount;

/**
 * The {@code --clusters} setting as a {@link ClusterCount}: {@code dynamic} is Tzelepis et al.
 * 2019, Eq. (1) as their code computes it ({@code (floor(P / 300000) + 1) * 32}, {@link
 * ClusterCount#theirCode}); a number K is K clusters in every layer; {@code C/F} gives conv weights
 * (rank 4) C clusters and every other tensor F, e.g. Deep Compression's LeNet-5 setting {@code
 * 256/32} (8-bit conv, 5-bit fc). Tested in {@code CompressionPipelineTest}.
 */
final class Clusters {
  private Clusters() {}

  static ClusterCount parse(String spec) {
    if (spec == null) {
      throw new IllegalArgumentException("--clusters is missing");
    }
    if (spec.equals("dynamic")) {
      return ClusterCount.theirCode();
    }
    int slash = spec.indexOf('/');
    if (slash < 0) {
      return ClusterCount.fixed(count(spec, spec));
    }
    int conv = count(spec.substring(0, slash), spec);
    int other = count(spec.substring(slash + 1), spec);
    return (shape, nonZero) -> shape.rank() == 4 ? conv : other;
  }

  private static int count(String s, String spec) {
    try {
      int k = Integer.parseInt(s.strip());
      if (k >= 1 && k <= 65535) {
        return k;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new IllegalArgumentException(
        "--clusters must be 'dynamic', a count K in 1..65535 or 'C/F' (conv/other counts), got '"
            + spec
            + "'");
  }
}
