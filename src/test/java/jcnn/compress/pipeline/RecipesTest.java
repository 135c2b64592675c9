package jcnn.compress.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import jcnn.compress.prune.Pruning;
import jcnn.models.Models;
import jcnn.report.CompressionSummary;
import jcnn.report.ReportWriterTestAccess;
import org.junit.jupiter.api.Test;

/**
 * The recipes: every one validates, names real layers, hands out copies of its settings, and its
 * targets are checked as the issue states them.
 */
class RecipesTest {
  @Test
  void everyRecipeIsValidAndNamedLayersExist() {
    assertEquals(
        List.of("han-lenet300", "han-lenet5", "tzelepis-mnist", "tzelepis-cifar"),
        Recipes.ALL.stream().map(Recipe::name).toList());
    for (Recipe r : Recipes.ALL) {
      CompressOptions o = r.compress().validate();
      Models.spec(r.train().model());
      if (o.layerFractions != null) {
        var prunable = Pruning.prunableParameters(Models.create(r.train().model(), 10, 1));
        assertEquals(prunable.keySet(), o.layerFractions.keySet(), r.name());
      }
      assertTrue(r.published() != null && r.targets().minPruned() >= 0.9, r.name());
    }
  }

  @Test
  void hanRatesGiveTheirPublishedOverallFraction() {
    // LeNet-5: 66%, 12%, 8%, 19% kept of 500, 25,000, 400,000, 5,000 weights: "92%" pruned
    Map<String, Double> r = Recipes.HAN_LENET5_RATES;
    double pruned =
        500 * r.get("0.weight")
            + 25_000 * r.get("3.weight")
            + 400_000 * r.get("7.weight")
            + 5_000 * r.get("9.weight");
    assertEquals(0.92, pruned / 430_500, 0.005);
  }

  @Test
  void settingsAreCopies() {
    Recipe r = Recipes.byName("han-lenet5");
    CompressOptions a = r.compress();
    a.retrainEpochs(99);
    assertNotSame(a, r.compress());
    assertEquals(2, r.compress().retrainEpochs);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Recipes.byName("lenet"));
    assertTrue(e.getMessage().contains("tzelepis-cifar"), e.getMessage());
  }

  @Test
  void targetsAreCheckedAsStated() {
    CompressionSummary s = ReportWriterTestAccess.summary(); // 90% pruned, 0.89 -> 0.89, 57x
    List<Recipe.Check> ok = new Recipe.Targets(0.9, 0.001, 100_000, 5).check(s);
    assertEquals(4, ok.size());
    assertTrue(ok.stream().allMatch(Recipe.Check::met), ok.toString());
    List<Recipe.Check> bad = new Recipe.Targets(0.95, 0.001, 10, 0).check(s);
    assertEquals(3, bad.size());
    assertFalse(bad.get(0).met());
    assertTrue(bad.get(1).met());
    assertFalse(bad.get(2).met());
  }
}
