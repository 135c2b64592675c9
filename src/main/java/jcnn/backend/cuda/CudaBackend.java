package jcnn.backend.cuda;

import jcnn.backend.Backend;
import jcnn.backend.BinaryOp;
import jcnn.backend.Checks;
import jcnn.backend.ConvSpec;
import jcnn.backend.PoolSpec;
import jcnn.backend.UnaryOp;
import jcnn.backend.cpu.DropoutHash;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Shape;
import jcnn.tensor.Storage;
import jcnn.tensor.Tensor;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The GPU backend: every primitive of {@link Backend} as our own CUDA kernels (one binding class
 * per {@code .cu}), convolution as im2col + SGEMM per group, SGEMM by our kernels or cuBLAS.
 *
 * <p>Tensors stay on the device across calls: each argument's {@link Storage} carries a {@link
 * DeviceBuffer}; inputs are uploaded only when the host copy is newer, outputs are marked as
 * written on the device, and nothing is downloaded until host code reads a tensor (the loss value,
 * an accuracy count, a checkpoint). A whole training step therefore makes one small download: the
 * per-row losses that {@link #softmaxCrossEntropy} sums in double.
 *
 * <p>Tested kernel by kernel against the reference backend in CudaBackendParityTest and over a
 * whole LeNet-5 training step in CudaTrainingStepTest (both skip without a GPU); timed by {@code
 * ./jcnn bench sgemm|conv --device cuda}.
 */
public final class CudaBackend implements Backend {
  private final CudaContext cx;
  private final GemmKernels gemm;
  private final ElementwiseKernels ew;
  private final ConvKernels conv;
  private final PoolKernels pool;
  private final NormKernels norm;
  private final LossKernels loss;
  private final IndexKernels index;
  private final OptimKernels optim;
  private final Workspace colSpace = new Workspace();
  private final Workspace gemmSpace = new Workspace();
  private GemmKernels.Impl gemmImpl;

  /**
   * A backend on GPU {@code device}. Throws {@link CudaException} (one sentence) when there is no
   * usable GPU, driver or PTX.
   */
  public CudaBackend(int device) {
    this.cx = CudaContext.open(device);
    boolean cublas = Cuda.probe().cublas();
    this.gemm = new GemmKernels(cx, cublas ? CublasGemm.create(cx) : null);
    this.ew = new ElementwiseKernels(cx);
    this.conv = new ConvKernels(cx);
    this.pool = new PoolKernels(cx);
    this.norm = new NormKernels(cx);
    this.loss = new LossKernels(cx);
    this.index = new IndexKernels(cx);
    this.optim = new OptimKernels(cx);
    String chosen = System.getenv("JCNN_CUDA_GEMM");
    chosen = System.getProperty("jcnn.cuda.gemm", chosen);
    this.gemmImpl =
        chosen != null
            ? GemmKernels.Impl.parse(chosen)
            : cublas ? GemmKernels.Impl.CUBLAS : GemmKernels.Impl.V3;
  }

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public boolean hostMemory() {
    return false;
  }

  public CudaContext context() {
    return cx;
  }

  /** Which SGEMM matmul and convolution use: v1, v2, v3, v4 or cublas. */
  public void useGemm(String impl) {
    GemmKernels.Impl i = GemmKernels.Impl.parse(impl);
    if (i == GemmKernels.Impl.CUBLAS && !gemm.hasCublas()) {
      throw new CudaException("cuBLAS is not available: " + Cuda.probe().cublasReason());
    }
    gemmImpl = i;
  }

  public String gemm() {
    return gemmImpl.label();
  }

  /** Waits for every queued kernel (for timing); failures name the last kernel. */
  @Override
  public void sync() {
    cx.synchronize();
  }

  // ------------------------------------------------------------------ device copies

  private DeviceBuffer buffer(Storage s) {
    Storage.DeviceCopy d = s.device();
    if (d == null) {
      return DeviceBuffer.attach(cx, s);
    }
    if (!(d instanceof DeviceBuffer b)) {
      throw new IllegalStateException("tensor holds another backend's device copy");
    }
    return b;
  }

  /** The device copy of an input, uploaded (or zeroed) first if the host copy is newer. */
  private CUdeviceptr in(Storage s) {
    DeviceBuffer b = buffer(s);
    if (!s.deviceValid()) {
      Object host = s.hostForUpload();
      if (host == null) {
        cx.zero(b.ptr, s.length());
      } else if (b.bytes > 0) {
        Pointer h = host instanceof int[] i ? Pointer.to(i) : Pointer.to((float[]) host);
        cx.copyToDevice(b.ptr, h, b.bytes);
      }
      s.deviceSynced();
    }
    return b.ptr;
  }

  private CUdeviceptr in(Tensor t) {
    return t == null ? null : in(t.storage());
  }

  private CUdeviceptr in(IntTensor t) {
    return in(t.storage());
  }

  /** The device copy of an output the kernel overwrites completely: nothing is uploaded. */
  private CUdeviceptr out(Tensor t) {
    Storage s = t.storage();
    DeviceBuffer b = buffer(s);
    s.deviceWrote();
    return b.ptr;
  }

  private CUdeviceptr out(IntTensor t) {
    Storage s = t.storage();
    DeviceBuffer b = buffer(s);
    s.deviceWrote();
    return b.ptr;
  }

  /** An operand read and written (accumulated into, or written in part). */
  private CUdeviceptr inOut(Tensor t) {
    CUdeviceptr p = in(t.storage());
    t.storage().deviceWrote();
    return p;
  }

  /** A scratch block that grows as needed; one stream, so reuse across calls is safe. */
  private final class Workspace {
    private Tensor t = Tensor.zeros(0);

    CUdeviceptr floats(long n) {
      if (n > t.storage().length()) {
        if (n > Integer.MAX_VALUE) {
          throw new CudaException("workspace of " + n + " floats is too large");
        }
        t = Tensor.zeros((int) Math.max(n, t.storage().length() * 3L / 2));
      }
      return out(t);
    }
  }

  private static CUdeviceptr at(CUdeviceptr p, long floats) {
    return floats == 0 ? p : p.withByteOffset(4 * floats);
  }

  // ------------------------------------------------------------------ elementwise

  @Override
  public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
    Shape os = Shape.broadcast("binary " + op, a.shape(), b.shape());
    Checks.shape("binary " + op, "out", out, os);
    int[] d = os.padTo(4);
    int[] sa = broadcastStrides(a.shape().padTo(4), d);
    int[] sb = broadcastStrides(b.shape().padTo(4), d);
    CUdeviceptr pa = in(a);
    CUdeviceptr pb = in(b);
    ew.binary(op, out.numel(), pa, pb, out(out), d, sa, sb);
  }

  private static int[] broadcastStrides(int[] dims, int[] outDims) {
    int[] s = new int[4];
    int stride = 1;
    for (int i = 3; i >= 0; i--) {
      s[i] = dims[i] == 1 && outDims[i] != 1 ? 0 : stride;
      stride *= dims[i];
    }
    return s;
  }

  @Override
  public void unary(UnaryOp op, Tensor x, Tensor out) {
    Checks.sameShape("unary " + op, x, out);
    CUdeviceptr px = in(x);
    ew.unary(op, x.numel(), px, out(out));
  }

  @Override
  public void unaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor gy, Tensor gx) {
    String name = "unaryBackward " + op;
    Checks.sameShape(name, x, y);
    Checks.sameShape(name, x, gy);
    Checks.sameShape(name, x, gx);
    ew.unaryBackward(op, x.numel(), in(x), in(y), in(gy), out(gx));
  }

  @Override
  public void axpby(float alpha, Tensor x, float beta, Tensor y) {
    Checks.sameSize("axpby", x, y);
    CUdeviceptr px = in(x);
    ew.axpby(x.numel(), alpha, px, beta, beta == 0 ? out(y) : inOut(y));
  }

  @Override
  public void sumTo(Tensor x, Tensor out) {
    int[] od = Checks.sumToDims(x, out);
    int[] xd4 = x.shape().padTo(4);
    int[] od4 = new int[4];
    java.util.Arrays.fill(od4, 1);
    System.arraycopy(od, 0, od4, 4 - od.length, od.length);
    if (out.numel() == 1) {
      java.util.Arrays.fill(od4, 1); // a one-element out of any rank receives the total
    }
    CUdeviceptr px = in(x);
    ew.sumTo(px, out(out), out.numel(), xd4, od4);
  }

  // ------------------------------------------------------------------ linear algebra

  @Override
  public void matmul(
      Tensor a, boolean transA, Tensor b, boolean transB, Tensor c, float alpha, float beta) {
    int[] mnk = Checks.matmulDims(a, transA, b, transB, c);
    CUdeviceptr pa = in(a);
    CUdeviceptr pb = in(b);
    CUdeviceptr pc = beta == 0 ? out(c) : inOut(c);
    if (mnk[2] == 0) {
      if (beta == 0) {
        ew.fill(pc, c.numel(), 0f);
      } else {
        ew.axpby(c.numel(), 0f, pc, beta, pc);
      }
      return;
    }
    sgemm(
        mnk[0], mnk[1], mnk[2], alpha, pa, a.dim(1), transA, pb, b.dim(1), transB, beta, pc,
        c.dim(1));
  }

  private void sgemm(
      int m,
      int n,
      int k,
      float alpha,
      CUdeviceptr a,
      int lda,
      boolean ta,
      CUdeviceptr b,
      int ldb,
      boolean tb,
      float beta,
      CUdeviceptr c,
      int ldc) {
    gemm.sgemm(gemmImpl, m, n, k, alpha, a, lda, ta, b, ldb, tb, beta, c, ldc);
  }

  // ------------------------------------------------------------------ convolution

  private record ConvPlan(
      ConvKernels.Geometry g, int k, int groups, int cg, int kg, int crs, int npq, int pq) {
    static ConvPlan of(Shape x, Shape w, ConvSpec spec) {
      Shape y = spec.outputShape(x, w);
      int groups = spec.groups();
      ConvKernels.Geometry g =
          new ConvKernels.Geometry(
              x.dim(0),
              x.dim(1),
              x.dim(2),
              x.dim(3),
              w.dim(2),
              w.dim(3),
              y.dim(2),
              y.dim(3),
              spec.strideH(),
              spec.strideW(),
              spec.padH(),
              spec.padW());
      int cg = x.dim(1) / groups;
      int kg = w.dim(0) / groups;
      int pq = y.dim(2) * y.dim(3);
      return new ConvPlan(g, w.dim(0), groups, cg, kg, cg * w.dim(2) * w.dim(3), x.dim(0) * pq, pq);
    }

    Shape yShape() {
      return Shape.of(g.n(), k, g.p(), g.q());
    }
  }

  @Override
  public void conv2dForward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Tensor y) {
    ConvPlan p = ConvPlan.of(x.shape(), w.shape(), spec);
    Checks.shape("conv2dForward", "y", y, p.yShape());
    if (bias != null) {
      Checks.shape("conv2dForward", "bias", bias, Shape.of(p.k()));
    }
    CUdeviceptr px = in(x);
    CUdeviceptr pw = in(w);
    CUdeviceptr pb = in(bias);
    CUdeviceptr py = out(y);
    CUdeviceptr col = colSpace.floats((long) p.crs() * p.npq());
    CUdeviceptr tmp = gemmSpace.floats((long) p.kg() * p.npq());
    for (int grp = 0; grp < p.groups(); grp++) {
      conv.im2col(px, col, p.g(), grp * p.cg(), p.cg());
      sgemm(
          p.kg(),
          p.npq(),
          p.crs(),
          1f,
          at(pw, (long) grp * p.kg() * p.crs()),
          p.crs(),
          false,
          col,
          p.npq(),
          false,
          0f,
          tmp,
          p.npq());
      conv.toNkpq(tmp, pb, py, p.g().n(), p.k(), grp * p.kg(), p.kg(), p.pq());
    }
  }

  @Override
  public void conv2dBackwardData(Tensor gy, Tensor w, ConvSpec spec, Tensor gx) {
    ConvPlan p = ConvPlan.of(gx.shape(), w.shape(), spec);
    Checks.shape("conv2dBackwardData", "gy", gy, p.yShape());
    CUdeviceptr pgy = in(gy);
    CUdeviceptr pw = in(w);
    CUdeviceptr pgx = out(gx);
    CUdeviceptr col = colSpace.floats((long) p.crs() * p.npq());
    CUdeviceptr tmp = gemmSpace.floats((long) p.kg() * p.npq());
    for (int grp = 0; grp < p.groups(); grp++) {
      conv.toKnpq(pgy, tmp, p.g().n(), p.k(), grp * p.kg(), p.kg(), p.pq());
      sgemm(
          p.crs(),
          p.npq(),
          p.kg(),
          1f,
          at(pw, (long) grp * p.kg() * p.crs()),
          p.crs(),
          true,
          tmp,
          p.npq(),
          false,
          0f,
          col,
          p.npq());
      conv.col2im(col, pgx, p.g(), grp * p.cg(), p.cg());
    }
  }

  @Override
  public void conv2dBackwardWeight(Tensor x, Tensor gy, ConvSpec spec, Tensor gw) {
    ConvPlan p = ConvPlan.of(x.shape(), gw.shape(), spec);
    Checks.shape("conv2dBackwardWeight", "gy", gy, p.yShape());
    CUdeviceptr px = in(x);
    CUdeviceptr pgy = in(gy);
    CUdeviceptr pgw = out(gw);
    CUdeviceptr col = colSpace.floats((long) p.crs() * p.npq());
    CUdeviceptr tmp = gemmSpace.floats((long) p.kg() * p.npq());
    for (int grp = 0; grp < p.groups(); grp++) {
      conv.im2col(px, col, p.g(), grp * p.cg(), p.cg());
      conv.toKnpq(pgy, tmp, p.g().n(), p.k(), grp * p.kg(), p.kg(), p.pq());
      sgemm(
          p.kg(),
          p.crs(),
          p.npq(),
          1f,
          tmp,
          p.npq(),
          false,
          col,
          p.npq(),
          true,
          0f,
          at(pgw, (long) grp * p.kg() * p.crs()),
          p.crs());
    }
  }

  // ------------------------------------------------------------------ pooling

  private static void poolChecks(String op, PoolSpec s, Tensor x, Tensor y) {
    Shape ys = s.outputShape(op, x.shape());
    Checks.shape(op, "y", y, ys);
    if (s.padH() >= s.kernelH() || s.padW() >= s.kernelW()) {
      throw new IllegalArgumentException(
          op + ": padding of " + s + " must be smaller than the window, for input " + x.shape());
    }
  }

  @Override
  public void maxPool2dForward(Tensor x, PoolSpec spec, Tensor y, IntTensor argmax) {
    poolChecks("maxPool2dForward", spec, x, y);
    Checks.shape("maxPool2dForward", "argmax", argmax, y.shape());
    pool.maxForward(
        in(x),
        out(y),
        out(argmax),
        x.dim(0) * x.dim(1),
        x.dim(2),
        x.dim(3),
        y.dim(2),
        y.dim(3),
        spec);
  }

  @Override
  public void maxPool2dBackward(Tensor gy, IntTensor argmax, Tensor gx) {
    Checks.shape("maxPool2dBackward", "argmax", argmax, gy.shape());
    Checks.rank("maxPool2dBackward", "gx", gx, 4);
    if (gy.rank() != 4 || gy.dim(0) != gx.dim(0) || gy.dim(1) != gx.dim(1)) {
      throw new IllegalArgumentException(
          "maxPool2dBackward: gy " + gy.shape() + " does not fit gx " + gx.shape());
    }
    CUdeviceptr pgy = in(gy);
    CUdeviceptr pam = in(argmax);
    CUdeviceptr pgx = out(gx);
    ew.fill(pgx, gx.numel(), 0f);
    pool.maxBackward(
        pgy, pam, pgx, gx.dim(0) * gx.dim(1), gx.dim(2), gx.dim(3), gy.dim(2), gy.dim(3));
  }

  @Override
  public void avgPool2dForward(Tensor x, PoolSpec spec, Tensor y) {
    poolChecks("avgPool2dForward", spec, x, y);
    pool.avgForward(
        in(x), out(y), x.dim(0) * x.dim(1), x.dim(2), x.dim(3), y.dim(2), y.dim(3), spec);
  }

  @Override
  public void avgPool2dBackward(Tensor gy, PoolSpec spec, Tensor gx) {
    poolChecks("avgPool2dBackward", spec, gx, gy);
    pool.avgBackward(
        in(gy), out(gx), gx.dim(0) * gx.dim(1), gx.dim(2), gx.dim(3), gy.dim(2), gy.dim(3), spec);
  }

  // ------------------------------------------------------------------ batch norm

  private static int[] bnLayout(String op, Tensor x, Tensor... perChannel) {
    if (x.rank() != 2 && x.rank() != 4) {
      throw new IllegalArgumentException(
          op + ": x " + x.shape() + " must be [N, C] or [N, C, H, W]");
    }
    for (Tensor t : perChannel) {
      Checks.shape(op, "per-channel tensor", t, Shape.of(x.dim(1)));
    }
    return new int[] {x.dim(0), x.dim(1), x.rank() == 4 ? x.dim(2) * x.dim(3) : 1};
  }

  @Override
  public void batchNormForward(
      Tensor x,
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      boolean training,
      float momentum,
      float eps,
      Tensor y,
      Tensor saveMean,
      Tensor saveInvStd) {
    int[] l =
        bnLayout("batchNormForward", x, gamma, beta, runningMean, runningVar, saveMean, saveInvStd);
    Checks.sameShape("batchNormForward", x, y);
    if (training && l[0] * l[2] < 2) {
      throw new IllegalArgumentException(
          "batchNormForward: training needs more than one value per channel, got x " + x.shape());
    }
    CUdeviceptr px = in(x);
    CUdeviceptr rm = training ? inOut(runningMean) : in(runningMean);
    CUdeviceptr rv = training ? inOut(runningVar) : in(runningVar);
    CUdeviceptr mean = out(saveMean);
    CUdeviceptr inv = out(saveInvStd);
    norm.stats(px, mean, inv, rm, rv, l[0], l[1], l[2], momentum, eps, training);
    norm.apply(px, mean, inv, in(gamma), in(beta), out(y), l[0], l[1], l[2]);
  }

  @Override
  public void batchNormBackward(
      Tensor x,
      Tensor gy,
      Tensor gamma,
      Tensor saveMean,
      Tensor saveInvStd,
      boolean training,
      Tensor gx,
      Tensor gGamma,
      Tensor gBeta) {
    int[] l = bnLayout("batchNormBackward", x, gamma, saveMean, saveInvStd, gGamma, gBeta);
    Checks.sameShape("batchNormBackward", x, gy);
    Checks.sameShape("batchNormBackward", x, gx);
    CUdeviceptr px = in(x);
    CUdeviceptr pgy = in(gy);
    CUdeviceptr mean = in(saveMean);
    CUdeviceptr inv = in(saveInvStd);
    CUdeviceptr gg = out(gGamma);
    CUdeviceptr gb = out(gBeta);
    norm.backwardReduce(px, pgy, mean, inv, gg, gb, l[0], l[1], l[2]);
    norm.backwardData(px, pgy, mean, inv, in(gamma), gg, gb, out(gx), l[0], l[1], l[2], training);
  }

  // ------------------------------------------------------------------ dropout, concat

  @Override
  public void dropoutMask(long seed, float p, Tensor mask) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("dropoutMask: p must be in [0, 1], got " + p);
    }
    float scale = p == 1 ? 0f : DropoutHash.scale(p);
    index.dropoutMask(out(mask), mask.numel(), seed, p, scale);
  }

  @Override
  public void concat(Tensor[] xs, int axis, Tensor out) {
    int[] geo = concatGeometry("concat", xs, axis, out);
    CUdeviceptr whole = out(out);
    int off = 0;
    for (Tensor x : xs) {
      index.sliceCopy(in(x), whole, geo[0], x.dim(axis), out.dim(axis), off, geo[1], true);
      off += x.dim(axis);
    }
  }

  @Override
  public void split(Tensor g, int axis, Tensor[] outs) {
    int[] geo = concatGeometry("split", outs, axis, g);
    CUdeviceptr whole = in(g);
    int off = 0;
    for (Tensor x : outs) {
      index.sliceCopy(out(x), whole, geo[0], x.dim(axis), g.dim(axis), off, geo[1], false);
      off += x.dim(axis);
    }
  }

  /** Checks the pieces against the whole; returns {outer, inner} around {@code axis}. */
  private static int[] concatGeometry(String op, Tensor[] parts, int axis, Tensor whole) {
    Checks.concatPieces(op, parts, axis, whole);
    int inner = whole.shape().sizeFrom(axis + 1);
    int outer = whole.numel() / Math.max(1, whole.dim(axis) * inner);
    return new int[] {outer, inner};
  }

  // ------------------------------------------------------------------ loss

  @Override
  public double softmaxCrossEntropy(Tensor logits, IntTensor labels, Tensor probs) {
    Checks.labels("softmaxCrossEntropy", logits, labels);
    Checks.sameShape("softmaxCrossEntropy", logits, probs);
    int n = logits.dim(0);
    Tensor rows = Tensor.zeros(n);
    loss.forward(in(logits), in(labels), out(probs), out(rows), n, logits.dim(1));
    double sum = 0;
    for (float v : rows.dataForRead()) {
      sum += v;
    }
    return n == 0 ? 0 : sum / n;
  }

  @Override
  public void softmaxCrossEntropyBackward(
      Tensor probs, IntTensor labels, float scale, Tensor gLogits) {
    Checks.labels("softmaxCrossEntropyBackward", probs, labels);
    Checks.sameShape("softmaxCrossEntropyBackward", probs, gLogits);
    loss.backward(in(probs), in(labels), scale, out(gLogits), probs.dim(0), probs.dim(1));
  }

  // ------------------------------------------------------------------ gather / scatter

  @Override
  public void gather(Tensor table, IntTensor idx, Tensor out) {
    if (idx.numel() != out.numel()) {
      throw new IllegalArgumentException(
          "gather: indices " + idx.shape() + " and out " + out.shape() + " differ in size");
    }
    Checks.indices("gather", idx, table);
    index.gather(in(table), in(idx), out(out), idx.numel());
  }

  @Override
  public void scatterAdd(Tensor src, IntTensor idx, Tensor table) {
    if (idx.numel() != src.numel()) {
      throw new IllegalArgumentException(
          "scatterAdd: indices " + idx.shape() + " and src " + src.shape() + " differ in size");
    }
    Checks.indices("scatterAdd", idx, table);
    index.scatterAdd(in(src), in(idx), inOut(table), idx.numel());
  }

  // ------------------------------------------------------------------ optimizer updates

  @Override
  public void sgdStep(
      Tensor w,
      Tensor g,
      Tensor velocity,
      float lr,
      float momentum,
      float weightDecay,
      boolean nesterov) {
    Checks.sgdStep(w, g, velocity, lr, momentum, weightDecay, nesterov);
    CUdeviceptr v = momentum != 0 ? inOut(velocity) : null;
    CUdeviceptr pg = in(g);
    optim.sgd(inOut(w), pg, v, w.numel(), lr, momentum, weightDecay, nesterov);
  }

  @Override
  public void adamStep(
      Tensor w,
      Tensor g,
      Tensor m,
      Tensor v,
      float lr,
      float beta1,
      float beta2,
      float eps,
      float weightDecay,
      int step) {
    Checks.adamStep(w, g, m, v, lr, beta1, beta2, eps, weightDecay, step);
    CUdeviceptr pg = in(g);
    optim.adam(
        inOut(w), pg, inOut(m), inOut(v), w.numel(), lr, beta1, beta2, eps, weightDecay, step);
  }
}
