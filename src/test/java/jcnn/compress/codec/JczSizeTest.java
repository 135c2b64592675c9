package jcnn.compress.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * Size sanity on a synthetic LeNet-5 (431,080 parameters, REFERENCE.md): 95% of the weights pruned,
 * 32 clusters per layer, biases raw. Two masks: uniformly random positions, and magnitude pruning
 * (one class-blind threshold, Tzelepis) of weights with per-row and per-column scales, so whole
 * inputs and neurons die as in trained nets. Prints Deep Compression's storage table, the Eq. 2
 * estimate beside the measured bytes, and the decode time; bounds the sizes loosely.
 */
class JczSizeTest {
  private static final int K = 32;

  @Test
  void lenet5LikeModelAt95PercentPruned() throws IOException {
    for (boolean structured : new boolean[] {false, true}) {
      JczModel model = lenet5(new Random(41), structured);
      JczWriter.Output out = JczWriter.encode(model);
      SizeReport r = out.report();
      double eq2 = 0;
      long nnz = 0;
      for (SizeReport.TensorSize t : r.tensors()) {
        eq2 += t.eq2Bytes();
        nnz += t.nonZeros();
      }
      long best = Long.MAX_VALUE;
      JczModel back = null;
      for (int rep = 0; rep < 4; rep++) { // the first reads warm up the JIT
        long t0 = System.nanoTime();
        back = JczReader.read(out.bytes(), "lenet5.jcz");
        best = Math.min(best, System.nanoTime() - t0);
      }
      System.out.printf(
          "%nLeNet-5-like, %s mask, 95%% pruned, k = %d:%n%s",
          structured ? "magnitude (structured)" : "random", K, r.table());
      System.out.printf(
          "non-zeros %d; file %d B = %.2f bits per non-zero; Eq. 2 estimate %.0f B"
              + " (%.1fx of 1,724,320 B); read + decode %.2f ms%n",
          nnz, r.fileBytes(), 8.0 * r.fileBytes() / nnz, eq2, 1_724_320 / eq2, best / 1e6);
      for (String name : model.tensors().keySet()) {
        assertArrayEquals(
            JczFileTest.rawBits(model.decode(name)), JczFileTest.rawBits(back.decode(name)), name);
      }
      assertTrue(r.fileBytes() > 8_000 && r.fileBytes() < 32_000, "file " + r.fileBytes() + " B");
      assertTrue(8.0 * r.fileBytes() / nnz < 12, "under 12 bits per kept weight");
    }
  }

  /** conv 1->20 5x5, conv 20->50 5x5, fc 800->500, fc 500->10, with biases: 431,080 values. */
  static JczModel lenet5(Random rnd, boolean structured) {
    int[][] shapes = {{20, 1, 5, 5}, {50, 20, 5, 5}, {500, 800}, {10, 500}};
    String[] names = {"conv1", "conv2", "fc1", "fc2"};
    float[][] w = new float[4][];
    for (int l = 0; l < 4; l++) {
      w[l] = weights(Shape.of(shapes[l]), rnd, structured);
    }
    float threshold = structured ? classBlindThreshold(w, 0.95) : 0;
    Map<String, JczTensor> t = new LinkedHashMap<>();
    for (int l = 0; l < 4; l++) {
      int[] codes = new int[w[l].length];
      boolean[] keep = new boolean[w[l].length];
      for (int i = 0; i < keep.length; i++) {
        keep[i] = structured ? Math.abs(w[l][i]) > threshold : rnd.nextDouble() >= 0.95;
      }
      float[] codebook = kmeans(w[l], keep, codes);
      t.put(names[l] + ".weight", new JczTensor.Coded(codes, codebook, Shape.of(shapes[l])));
      t.put(names[l] + ".bias", JczFileTest.raw(rnd, shapes[l][0]));
    }
    return new JczModel("lenet5", 10, "{\"synthetic\": true}", t);
  }

  /** Gaussian weights, scaled per row and, if structured, by lognormal row and column factors. */
  private static float[] weights(Shape s, Random rnd, boolean structured) {
    int rows = s.dim(0);
    int cols = s.numel() / rows;
    double[] rowScale = new double[rows];
    double[] colScale = new double[cols];
    for (int i = 0; i < rows; i++) {
      rowScale[i] = structured ? Math.exp(0.5 * rnd.nextGaussian()) : 1;
    }
    for (int j = 0; j < cols; j++) {
      colScale[j] = structured ? Math.exp(0.8 * rnd.nextGaussian()) : 1;
    }
    float[] w = new float[s.numel()];
    for (int i = 0; i < w.length; i++) {
      w[i] =
          (float) (rnd.nextGaussian() * rowScale[i / cols] * colScale[i % cols] / Math.sqrt(cols));
    }
    return w;
  }

  /** The magnitude below which {@code fraction} of all weights fall (one threshold, all layers). */
  private static float classBlindThreshold(float[][] layers, double fraction) {
    int total = 0;
    for (float[] l : layers) {
      total += l.length;
    }
    float[] mags = new float[total];
    int p = 0;
    for (float[] l : layers) {
      for (float v : l) {
        mags[p++] = Math.abs(v);
      }
    }
    Arrays.sort(mags);
    return mags[(int) (fraction * total)];
  }

  /**
   * One-dimensional k-means of the kept weights, linear initialisation between min and max (Han et
   * al.'s choice); writes each weight's cluster (-1 where pruned) to codes and returns centroids.
   */
  private static float[] kmeans(float[] w, boolean[] keep, int[] codes) {
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (int i = 0; i < w.length; i++) {
      if (keep[i]) {
        lo = Math.min(lo, w[i]);
        hi = Math.max(hi, w[i]);
      }
    }
    float[] c = new float[K];
    for (int j = 0; j < K; j++) {
      c[j] = lo + (hi - lo) * j / (K - 1);
    }
    for (int iter = 0; iter < 10; iter++) {
      double[] sum = new double[K];
      int[] count = new int[K];
      for (int i = 0; i < w.length; i++) {
        codes[i] = keep[i] ? nearest(c, w[i]) : SparseLayer.PRUNED;
        if (keep[i]) {
          sum[codes[i]] += w[i];
          count[codes[i]]++;
        }
      }
      for (int j = 0; j < K; j++) {
        c[j] = count[j] > 0 ? (float) (sum[j] / count[j]) : c[j];
      }
    }
    for (int i = 0; i < w.length; i++) {
      codes[i] = keep[i] ? nearest(c, w[i]) : SparseLayer.PRUNED;
    }
    return c;
  }

  private static int nearest(float[] c, float v) {
    int best = 0;
    for (int j = 1; j < c.length; j++) {
      best = Math.abs(v - c[j]) < Math.abs(v - c[best]) ? j : best;
    }
    return best;
  }
}
