package jcnn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parameter counts of REFERENCE.md, output shapes, and seeded reproducibility. */
class ModelsTest {

  @ParameterizedTest
  @CsvSource({
    "lenet5, 431080",
    "lenet300, 266610",
    "resnet20, 269722",
    "resnet56, 853018",
    "cifar-tz, 879594"
  })
  void parameterCounts(String name, long expected) {
    assertEquals(expected, Models.create(name, 10, 1).numParameters());
  }

  @ParameterizedTest
  @ValueSource(strings = {"lenet5", "lenet300", "resnet20", "cifar-tz"})
  void forwardGivesOneLogitPerClass(String name) {
    Models.Spec s = Models.spec(name);
    Module m = Models.create(name, 10, 1);
    m.eval();
    try (var scope = GradMode.noGrad()) {
      Variable y =
          m.forward(Variable.constant(Tensor.randn(2, 1f, 2, s.channels(), s.height(), s.width())));
      assertArrayEquals(new int[] {2, 10}, y.shape().dims());
    }
  }

  @Test
  void sameSeedSameWeights() {
    Module a = Models.create("lenet5", 10, 42);
    Module b = Models.create("lenet5", 10, 42);
    Module c = Models.create("lenet5", 10, 43);
    a.stateDict().forEach((k, v) -> assertArrayEquals(v.data(), b.stateDict().get(k).data(), k));
    assertTrue(a.stateDict().get("0.weight").data()[0] != c.stateDict().get("0.weight").data()[0]);
  }

  @Test
  void unknownNameListsKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Models.create("vgg", 10, 1));
    assertTrue(e.getMessage().contains("lenet5") && e.getMessage().contains("vgg"), e.getMessage());
  }
}
