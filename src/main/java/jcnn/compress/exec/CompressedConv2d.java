package jcnn.compress.exec;

import jcnn.autograd.Variable;
import jcnn.backend.cpu.Parallel;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;

/**
 * An inference-only 2-D convolution whose weight [K, C/groups, R, R] stays in a compressed form
 * ({@link WeightRows}, columns in (r, s, c) order, see {@link Im2col}). Sparse and coded weights
 * ({@link TermRows}) compute each output channel straight from its row's non-zeros on a padded
 * polyphase copy of the input ({@link DirectConv}), nnz P Q multiply-adds with no im2col; bit
 * planes multiply each image's im2col B [R S Cg, P Q] per group, y[k, :] = W[k, :] B, and binary
 * weights of an ungrouped conv whose input is all +-1 run as XNOR and popcount on channel-packed
 * pixels ({@link Xnor#conv}). A batch of at least as many images as threads is split by image, a
 * smaller one by output channel. Tested in {@code CompressedExecTest}.
 */
public final class CompressedConv2d extends Module {
  private final WeightRows weight; // [K, R S Cg]
  private final float[] bias; // [K] or null
  private final int inC;
  private final Im2col.Conv geom;
  private volatile DirectConv direct; // for the last input size; immutable, so shared freely

  public CompressedConv2d(
      WeightRows weight, float[] bias, int inC, int kernel, int stride, int pad, int groups) {
    if (groups < 1 || inC % groups != 0 || weight.rows() % groups != 0) {
      throw new IllegalArgumentException(
          "CompressedConv2d: " + inC + " -> " + weight.rows() + " channels, groups " + groups);
    }
    if (weight.cols() != inC / groups * kernel * kernel) {
      throw new IllegalArgumentException(
          "CompressedConv2d: rows of "
              + weight.cols()
              + " weights for "
              + inC / groups
              + " channels x "
              + kernel
              + "x"
              + kernel);
    }
    if (bias != null && bias.length != weight.rows()) {
      throw new IllegalArgumentException(
          "CompressedConv2d: bias of " + bias.length + " for " + weight.rows() + " channels");
    }
    this.weight = weight;
    this.bias = bias;
    this.inC = inC;
    this.geom = new Im2col.Conv(kernel, stride, pad, groups);
    if (bias != null) {
      registerBuffer("bias", Tensor.of(bias.clone(), bias.length));
    }
  }

  public WeightRows weight() {
    return weight;
  }

  @Override
  public Variable forward(Variable in) {
    if (in.shape().rank() != 4 || in.shape().dim(1) != inC) {
      throw shapeError("input " + in.shape() + " is not [N, " + inC + ", H, W]");
    }
    if (isTraining()) {
      throw new IllegalStateException(describe() + " runs inference only; call eval() first");
    }
    int n = in.shape().dim(0);
    int h = in.shape().dim(2);
    int w = in.shape().dim(3);
    int p = geom.outH(h);
    int q = geom.outW(w);
    if (p < 1 || q < 1) {
      throw shapeError("input " + in.shape() + " is smaller than its " + geom.r() + "x filter");
    }
    int k = weight.rows();
    float[] x = in.value().dataForRead(); // [N, C, H, W]
    float[] y = new float[n * k * p * q]; // [N, K, P, Q]
    boolean xnor =
        weight instanceof BitRows b
            && b.isBinary()
            && geom.groups() == 1
            && Xnor.allSigns(x, 0, x.length);
    Parallel par = CompressedLinear.pool();
    if (n >= par.threads()) {
      par.forRange(
          n,
          1,
          (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
              image(x, i, h, w, xnor, y, par); // nested: runs serially on this thread
            }
          });
    } else {
      for (int i = 0; i < n; i++) {
        image(x, i, h, w, xnor, y, par);
      }
    }
    addBias(y, n, k, p * q);
    return Variable.constant(Tensor.of(y, n, k, p, q));
  }

  /**
   * Image i with its output channels split between the threads: the polyphase layout, the im2col or
   * the bit packing is done once and shared, not once per thread. Called from inside a parallel
   * loop over images, the inner loops run serially on the calling thread ({@link
   * Parallel#forRange}).
   */
  private void image(float[] x, int i, int h, int w, boolean xnor, float[] y, Parallel par) {
    int k = weight.rows();
    int pq = geom.outH(h) * geom.outW(w);
    int xOff = i * inC * h * w;
    int yOff = i * k * pq;
    if (xnor) {
      BitRows b = (BitRows) weight;
      long[] a = Xnor.packPixels(x, xOff, inC, h * w, b.blockWords());
      par.forRange(k, 4, (k0, k1) -> Xnor.conv(b, a, h, w, geom, y, yOff, k0, k1));
      return;
    }
    int groups = geom.groups();
    int cg = inC / groups;
    int kg = k / groups;
    if (weight instanceof TermRows t) {
      DirectConv direct = direct(cg, h, w);
      for (int g = 0; g < groups; g++) {
        float[] buf = direct.layout(x, xOff, g * cg);
        int lo = g * kg;
        par.forRange(kg, 4, (a, b) -> direct.run(t, lo + a, lo + b, buf, y, yOff));
      }
      return;
    }
    float[] col = new float[geom.r() * geom.r() * cg * pq]; // [R S Cg, P Q]
    for (int g = 0; g < groups; g++) {
      Im2col.rsc(x, xOff, h, w, g * cg, cg, geom, col);
      int lo = g * kg;
      par.forRange(kg, 4, (a, b) -> weight.multiply(lo + a, lo + b, col, 0, pq, y, yOff));
    }
  }

  /** The direct conv of an h x w input, kept while the input size stays the same. */
  private DirectConv direct(int cg, int h, int w) {
    DirectConv d = direct;
    if (d == null || !d.fits(h, w)) {
      d = new DirectConv(geom, cg, h, w);
      direct = d;
    }
    return d;
  }

  private void addBias(float[] y, int n, int k, int pq) {
    if (bias == null) {
      return;
    }
    for (int i = 0; i < n * k; i++) {
      float b = bias[i % k];
      for (int j = i * pq, end = j + pq; j < end; j++) {
        y[j] += b;
      }
    }
  }

  @Override
  protected String extraRepr() {
    return inC
        + " -> "
        + weight.rows()
        + ", "
        + geom.r()
        + "x"
        + geom.r()
        + " stride "
        + geom.stride()
        + " pad "
        + geom.pad()
        + (geom.groups() > 1 ? " groups " + geom.groups() : "")
        + ", "
        + weight.describe();
  }
}
