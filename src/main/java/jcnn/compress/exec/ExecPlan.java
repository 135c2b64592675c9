package jcnn.compress.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcnn.compress.codec.JczModel;
import jcnn.compress.codec.JczTensor;
import jcnn.nn.Conv2d;
import jcnn.nn.Linear;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.tensor.Tensor;

/**
 * Chooses the execution form of each conv and linear layer of a model loaded from a {@code .jcz}
 * file and swaps in the compressed layer ({@link CompressedLinear}, {@link CompressedConv2d}): the
 * dense weight is dropped, so the model holds only the compressed arrays.
 *
 * <p>The forms, by what the file holds for the layer's weight:
 *
 * <ul>
 *   <li>binary or ternary sections: {@link BitRows} (XNOR at run time where the input is +-1);
 *   <li>codes with pruned entries at density d &lt;= {@link #SPARSE_DENSITY}: {@link SparseRows}
 *       with byte codes (a codebook of at most 256) or float values;
 *   <li>denser codes: {@link CodedRows} (8- or 4-bit indices) in {@code compressed} mode, dense in
 *       {@code auto} (a table lookup per weight saves memory but not time once the weights fit
 *       cache); a full 256-entry codebook leaves no code for a pruned weight, so such a layer runs
 *       as {@link SparseRows} at any density in {@code compressed} mode;
 *   <li>raw float32 weights, and weights whose rows pass 65,536 columns as sparse: dense.
 * </ul>
 *
 * In {@code auto} a coded layer, linear or conv, runs sparse only at d &lt;= {@link #AUTO_DENSITY}.
 * {@code jcnn bench sparse} measured CSR ahead of dense for the fc layers at 90, 95 and 98%
 * sparsity at batch 1, and the direct sparse conv ({@link DirectConv}) ahead of the dense conv for
 * lenet5.conv2 at 88%; the 25% threshold lies below those points and is not itself measured. Tested
 * in {@code CompressedExecTest}.
 */
public final class ExecPlan {
  /** Above this density a sparse layer is stored as dense codes in {@code compressed} mode. */
  public static final double SPARSE_DENSITY = 0.5;

  /** At or below this density {@code auto} runs a layer sparse. */
  public static final double AUTO_DENSITY = 0.25;

  /**
   * One layer's choice.
   *
   * @param form what it runs on ("dense float32" where it was not swapped)
   * @param bytes the bytes its weight holds in that form
   * @param denseBytes the bytes of its weight as float32
   */
  public record Layer(String name, String kind, String form, long bytes, long denseBytes) {}

  private ExecPlan() {}

  /**
   * Swaps the conv and linear layers of {@code model} (built and loaded from {@code file}) for
   * compressed ones as {@code mode} says; returns every such layer's choice, in model order.
   */
  public static List<Layer> apply(Module model, JczModel file, ExecMode mode) {
    List<Layer> out = new ArrayList<>();
    for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
      Module m = e.getValue();
      if (m.getClass() != Linear.class && m.getClass() != Conv2d.class) {
        continue;
      }
      String name = e.getKey();
      JczTensor t = file.tensors().get(name.isEmpty() ? "weight" : name + ".weight");
      Parameter w = m.parameter("weight");
      long dense = 4L * w.value().numel();
      WeightRows rows = mode == ExecMode.DENSE || t == null ? null : form(m, t, mode);
      String kind = m instanceof Linear ? "linear" : "conv";
      if (rows == null) {
        out.add(new Layer(name, kind, "dense float32", dense, dense));
        continue;
      }
      Module swapped = swap(m, rows);
      swapped.eval();
      model.replaceModule(name, swapped);
      out.add(new Layer(name, kind, rows.describe(), rows.bytes(), dense));
    }
    return out;
  }

  /** The form for layer m's weight t, or null to keep it dense. */
  private static WeightRows form(Module m, JczTensor t, ExecMode mode) {
    int[] dims = t.shape().dims();
    int k = dims[0];
    int cg = dims[1];
    int rs = dims.length == 4 ? dims[2] * dims[3] : 1;
    int cols = cg * rs;
    if (m instanceof Conv2d c && !squareGeometry(c)) {
      return null;
    }
    if (t instanceof JczTensor.Binary b) {
      return BitRows.binary(reorder(b.decode(), k, cg, rs), b.scales(), k, cg, rs);
    }
    if (t instanceof JczTensor.Ternary tt) {
      return BitRows.ternary(
          reorder(tt.decode(), k, cg, rs), tt.positive(), tt.negative(), k, cg, rs);
    }
    if (!(t instanceof JczTensor.Coded c)) {
      return null;
    }
    return coded(c, k, cg, rs, cols, mode);
  }

  private static WeightRows coded(
      JczTensor.Coded c, int k, int cg, int rs, int cols, ExecMode mode) {
    double density = (double) c.nonZeros() / c.codes().length;
    int[] codes = rs == 1 ? c.codes() : Im2col.reorder(c.codes(), k, cg, rs);
    boolean sparseFits = cols <= SparseRows.MAX_COLS;
    // 256 centroids leave no byte code for a pruned weight, so CodedRows cannot hold them: in
    // compressed mode such a layer goes sparse at any density (3 bytes per non-zero)
    boolean fullByte = c.codebook().length == 256;
    double limit = mode == ExecMode.AUTO ? AUTO_DENSITY : fullByte ? 1.0 : SPARSE_DENSITY;
    if (sparseFits && density <= limit) {
      return c.codebook().length <= 256
          ? SparseRows.coded(codes, c.codebook(), k, cols)
          : SparseRows.of(reorder(c.decode(), k, cg, rs), k, cols);
    }
    if (mode == ExecMode.COMPRESSED && c.codebook().length < 256) {
      return CodedRows.of(codes, c.codebook(), k, cols);
    }
    return null;
  }

  private static float[] reorder(float[] w, int k, int cg, int rs) {
    return rs == 1 ? w : Im2col.reorder(w, k, cg, rs);
  }

  private static boolean squareGeometry(Conv2d c) {
    var s = c.spec();
    int[] d = c.weight().value().shape().dims();
    return s.strideH() == s.strideW() && s.padH() == s.padW() && d[2] == d[3];
  }

  private static Module swap(Module m, WeightRows rows) {
    float[] bias =
        m.namedParameters().containsKey("bias") ? m.parameter("bias").value().data() : null;
    if (m instanceof Conv2d c) {
      var s = c.spec();
      int[] d = c.weight().value().shape().dims();
      int inC = d[1] * s.groups();
      return new CompressedConv2d(rows, bias, inC, d[2], s.strideH(), s.padH(), s.groups());
    }
    return new CompressedLinear(rows, bias);
  }

  /**
   * The bytes a model holds for inference: 4 per float of its parameters and buffers, plus the
   * arrays of its compressed layers. Activations and scratch buffers are not counted.
   */
  public static long modelBytes(Module model) {
    long b = 0;
    for (Parameter p : model.parameters()) {
      b += 4L * p.value().numel();
    }
    for (Tensor t : model.namedBuffers().values()) {
      b += 4L * t.numel();
    }
    for (Module m : model.namedModules().values()) {
      if (m instanceof CompressedLinear l) {
        b += l.weight().bytes();
      } else if (m instanceof CompressedConv2d c) {
        b += c.weight().bytes();
      }
    }
    return b;
  }
}
