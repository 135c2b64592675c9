package jcnn.compress.exec;

import jcnn.autograd.Variable;
import jcnn.backend.Backends;
import jcnn.backend.cpu.CpuBackend;
import jcnn.backend.cpu.Parallel;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/**
 * An inference-only linear layer y = x W^T + b whose W [out, in] stays in a compressed form ({@link
 * WeightRows}). At batch 1 each output is one row product with x; at batch N, x is transposed so
 * each weight row meets a contiguous run of N inputs (Y^T = W x^T). Binary weights meeting an input
 * of only +-1 (the output of a {@link jcnn.nn.BinaryActivation}) run as XNOR and popcount ({@link
 * Xnor}). Output rows are split between the backend's threads. There is no gradient: the layer
 * refuses training mode. Tested in {@code CompressedExecTest}.
 */
public final class CompressedLinear extends Module {
  private static final Parallel SERIAL = new Parallel(1);

  private final WeightRows weight; // [out, in]
  private final float[] bias; // [out] or null

  public CompressedLinear(WeightRows weight, float[] bias) {
    if (bias != null && bias.length != weight.rows()) {
      throw new IllegalArgumentException(
          "CompressedLinear: bias of " + bias.length + " for " + weight.rows() + " outputs");
    }
    this.weight = weight;
    this.bias = bias;
    if (bias != null) {
      registerBuffer("bias", Tensor.of(bias.clone(), bias.length));
    }
  }

  public WeightRows weight() {
    return weight;
  }

  /** The backend's thread pool, or one thread where the backend is not the CPU one. */
  static Parallel pool() {
    return Backends.current() instanceof CpuBackend c ? c.parallel() : SERIAL;
  }

  @Override
  public Variable forward(Variable in) {
    int c = weight.cols();
    int k = weight.rows();
    if (in.shape().rank() != 2 || in.shape().dim(1) != c) {
      throw shapeError("input " + in.shape() + " does not have " + c + " features");
    }
    if (isTraining()) {
      throw new IllegalStateException(describe() + " runs inference only; call eval() first");
    }
    int n = in.shape().dim(0);
    float[] x = in.value().dataForRead(); // [N, C]
    float[] y = new float[n * k]; // [N, K]
    Parallel par = pool();
    if (weight instanceof BitRows b && b.isBinary() && Xnor.allSigns(x, 0, n * c)) {
      long[] a = Xnor.packRows(x, n, c, b.wordsPerRow());
      par.forRange(k, 16, (k0, k1) -> Xnor.linear(b, a, n, y, k0, k1));
    } else if (n == 1) {
      par.forRange(k, 16, (k0, k1) -> weight.multiply(k0, k1, x, 0, 1, y, 0));
    } else {
      float[] xt = transpose(x, n, c); // [C, N]
      float[] yt = new float[k * n]; // [K, N]
      par.forRange(k, 4, (k0, k1) -> weight.multiply(k0, k1, xt, 0, n, yt, 0));
      transposeInto(yt, k, n, y);
    }
    addBias(y, n, k);
    return Variable.constant(Tensor.of(y, n, k));
  }

  private void addBias(float[] y, int n, int k) {
    if (bias == null) {
      return;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        y[i * k + j] += bias[j];
      }
    }
  }

  static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    transposeInto(a, rows, cols, t);
    return t;
  }

  /** Tile edge of the transpose: a 32 x 32 tile's source and target rows stay in L1. */
  private static final int TILE = 32;

  /**
   * t [cols, rows] = a [rows, cols]^T, tile by tile: a plain double loop writes each target row
   * with a stride of {@code rows} floats and misses cache on nearly every element once the matrix
   * outgrows L1 (784 x 64 floats, a batch of MNIST, took longer than the sparse product itself).
   */
  static void transposeInto(float[] a, int rows, int cols, float[] t) {
    for (int i0 = 0; i0 < rows; i0 += TILE) {
      int i1 = Math.min(rows, i0 + TILE);
      for (int j0 = 0; j0 < cols; j0 += TILE) {
        int j1 = Math.min(cols, j0 + TILE);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            t[j * rows + i] = a[i * cols + j];
          }
        }
      }
    }
  }

  @Override
  protected String extraRepr() {
    return weight.cols() + " -> " + weight.rows() + ", " + weight.describe();
  }
}
