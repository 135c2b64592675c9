package jcnn.compress.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import jcnn.compress.quant.QuantSpec;
import jcnn.models.Models;
import org.junit.jupiter.api.Test;

/**
 * The binary and ternary recipes are well formed: unique names, every model builds, the quantized
 * stages are quantized and share the reference's float network, the targets read as the issue asks.
 * The end-to-end run is in {@code ReproduceCommandTest}.
 */
class QuantRecipesTest {
  @Test
  void recipesAreWellFormed() {
    Set<String> names = new HashSet<>();
    for (QuantRecipe r : QuantRecipes.ALL) {
      assertTrue(names.add(r.name()), r.name());
      assertNotNull(QuantRecipes.byName(r.name()));
      if (r.reference() != null) {
        assertTrue(Models.quantization(r.reference().model()).isFloat(), r.name());
        Models.create(r.reference().model(), 10, 1);
      }
      for (QuantRecipe.Stage s : r.stages()) {
        QuantSpec q = Models.quantization(s.model());
        assertFalse(q.isFloat(), s.model());
        Models.create(s.model(), 10, 1);
        if (r.reference() != null) {
          assertEquals(r.reference().model(), Models.floatName(s.model()), r.name());
          assertEquals(r.reference().dataset(), s.dataset(), r.name());
        }
      }
    }
    assertEquals(6, names.size());
  }

  @Test
  void targetsAreTheIssues() {
    QuantRecipe.Target bnn = QuantRecipes.BNN_MNIST.target();
    assertTrue(bnn.met(0.985, Double.NaN));
    assertFalse(bnn.met(0.984, Double.NaN));
    assertTrue(QuantRecipes.TWN_LENET5.target().met(0.992, 0.995));
    assertFalse(QuantRecipes.TWN_LENET5.target().met(0.9919, 0.995));
    assertTrue(QuantRecipes.TTQ_RESNET20.target().met(0.872, 0.882));
    assertFalse(QuantRecipes.TTQ_RESNET20.target().met(0.871, 0.882));
    assertTrue(QuantRecipes.BNN_CIFAR.target().met(0.70, 0.74));
    assertTrue(QuantRecipes.SEPNET_PATTERN.target().met(0.84, 0.86));
    assertFalse(QuantRecipes.SEPNET_PATTERN.target().met(0.839, 0.86));
    assertEquals(2, QuantRecipes.BINARYCONNECT_MNIST.stages().size());
  }
}
