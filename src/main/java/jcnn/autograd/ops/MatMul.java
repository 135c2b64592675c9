package jcnn.autograd.ops;

import jcnn.autograd.Function;
import jcnn.autograd.Variable;
import jcnn.backend.Checks;
import jcnn.tensor.Tensor;

/**
 * C = op(A) * op(B) for 2-D operands, op(M) = M or M^T: op(A) is [M, K], op(B) is [K, N].
 *
 * <p>Gradients (g = dL/dC, [M, N]): d op(A) = g op(B)^T and d op(B) = op(A)^T g, transposed back
 * when the operand was stored transposed:
 *
 * <ul>
 *   <li>gA = g * op(B)^T, or op(B) * g^T when transA;
 *   <li>gB = op(A)^T * g, or g^T * op(A) when transB.
 * </ul>
 */
public final class MatMul extends Function {
  private final boolean transA;
  private final boolean transB;
  private Tensor a;
  private Tensor b;

  private MatMul(boolean transA, boolean transB) {
    this.transA = transA;
    this.transB = transB;
  }

  public static Variable apply(Variable a, boolean transA, Variable b, boolean transB) {
    MatMul f = new MatMul(transA, transB);
    int[] mnk = Checks.matmulDims(a.value(), transA, b.value(), transB);
    Tensor c = Tensor.zeros(mnk[0], mnk[1]);
    f.backend.matmul(a.value(), transA, b.value(), transB, c, 1f, 0f);
    f.a = a.value();
    f.b = b.value();
    return f.record(c, a, b);
  }

  @Override
  public String name() {
    return "matmul";
  }

  @Override
  protected Tensor[] backward(Tensor g) {
    Tensor ga = null;
    Tensor gb = null;
    if (needsGrad(0)) {
      ga = Tensor.zeros(a.shape());
      if (transA) {
        backend.matmul(b, transB, g, true, ga, 1f, 0f);
      } else {
        backend.matmul(g, false, b, !transB, ga, 1f, 0f);
      }
    }
    if (needsGrad(1)) {
      gb = Tensor.zeros(b.shape());
      if (transB) {
        backend.matmul(g, true, a, transA, gb, 1f, 0f);
      } else {
        backend.matmul(a, !transA, g, false, gb, 1f, 0f);
      }
    }
    return new Tensor[] {ga, gb};
  }
}
