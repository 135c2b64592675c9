package jcnn.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.autograd.Variable;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loss value and gradient on hand-computed logits, and label checks. */
class CrossEntropyLossTest {
  private static Backend previous;

  @BeforeAll
  static void useReference() {
    previous = Backends.use(Backends.reference());
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  @Test
  void valueAndGradient() {
    // Row 0: logits (0, 0), label 0: loss ln 2. Row 1: (ln 3, 0), label 1: probs (3/4, 1/4), loss
    // ln 4. Mean (ln 2 + ln 4) / 2 = 1.5 ln 2.
    Variable logits =
        Variable.param(Tensor.of(new float[] {0f, 0f, (float) Math.log(3), 0f}, 2, 2));
    Variable loss = new CrossEntropyLoss().apply(logits, IntTensor.of(new int[] {0, 1}, 2));
    assertEquals(1.5 * Math.log(2), loss.value().item(), 1e-6);
    loss.backward();
    // g = (probs - onehot) / N.
    assertArrayEquals(new float[] {-0.25f, 0.25f, 0.375f, -0.375f}, logits.grad().data(), 1e-6f);
  }

  @Test
  void badLabelsAreRejected() {
    Variable logits = Variable.constant(Tensor.zeros(2, 3));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CrossEntropyLoss().apply(logits, IntTensor.of(new int[] {0, 3}, 2)));
    assertTrue(e.getMessage().contains("label 3 out of range for 3 classes"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new CrossEntropyLoss().apply(logits, IntTensor.of(new int[] {0, 1, 2}, 3)));
    assertEquals(
        "CrossEntropyLoss: logits [2, 3] and labels [3] are not [N, classes] and [N]",
        e.getMessage());
  }
}
