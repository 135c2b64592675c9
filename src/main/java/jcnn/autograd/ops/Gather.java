package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * y[i] = table[idx[i]] over flattened tensors; y takes idx's shape. Weight sharing writes a layer's
 * weights as gather(codebook, clusterIndex).
 *
 * <p>Gradient: gtable = scatter-add of g by idx: every element's gradient is summed into the entry
 * it was read from. For weight sharing this is exactly Deep Compression's codebook gradient
 * aggregation (Han et al. 2016, Fig. 3): the gradients of all weights of a cluster summed into its
 * centroid.
 */
public final class Gather extends Function {
  private IntTensor idx;
  private Tensor table;

  public static Variable apply(Variable table, IntTensor idx) {
    Gather f = new Gather();
    Tensor y = Tensor.zeros(idx.shape());
    f.backend.gather(table.value(), idx, y);
    f.idx = idx;
    f.table = table.value();
    return f.record(y, table);
  }

  @Override
  public String name() {
    return "gather";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor gt = Tensor.zeros(table.shape());
    backend.scatterAdd(g, idx, gt);
    return new Tensor[] {gt};
  }
}
