package jcnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finetune on a slice of the shipped MNIST with LeNet-300-100: it learns, steps only the parameters
 * it is given, keeps the best epoch on validation when asked, and is deterministic.
 */
class FinetuneTest {
  private static Backend previous;
  private static Dataset train;
  private static Dataset val;

  @BeforeAll
  static void data() throws IOException {
    previous = Backends.use(Backends.cpu(2));
    Dataset.Split s = Datasets.load("mnist", true, null).split(500, 7);
    train = s.train().subset(IntStream.range(0, 1200).toArray());
    val = s.validation();
  }

  @AfterAll
  static void restore() {
    Backends.use(previous);
  }

  private static Finetune finetune(boolean keepBest) {
    return new Finetune(train, val, new Finetune.Settings(32, 0.05, 0.9, 5e-4, 3, false, keepBest));
  }

  @Test
  void learnsAndReportsEachEpoch() {
    Module m = Models.create("lenet300", 10, 1);
    double before = Evaluator.evaluate(m, val, 256).accuracy();
    List<EpochStats> h = finetune(false).run(m, m.parameters(), 2);
    assertEquals(2, h.size());
    assertEquals(0.05, h.get(0).lr(), 1e-12); // cosine starts at lr
    assertEquals(0.025, h.get(1).lr(), 1e-12); // and is halfway down at epoch 2 of 2
    assertTrue(h.get(1).trainLoss() < h.get(0).trainLoss(), h.toString());
    double after = Evaluator.evaluate(m, val, 256).accuracy();
    assertEquals(h.get(1).valAccuracy(), after, 0);
    assertTrue(after > before + 0.5, before + " -> " + after);
  }

  @Test
  void stepsOnlyTheGivenParameters() {
    Module m = Models.create("lenet300", 10, 1);
    List<Parameter> all = m.parameters();
    float[] firstBefore = all.get(0).value().data().clone();
    Parameter last = all.get(all.size() - 2); // the last layer's weight
    float[] lastBefore = last.value().data().clone();
    finetune(false).run(m, List.of(last), 1);
    assertArrayEquals(firstBefore, all.get(0).value().data());
    assertFalse(Arrays.equals(lastBefore, last.value().data()));
  }

  @Test
  void keepBestLeavesTheBestEpochOnValidation() {
    Module m = Models.create("lenet300", 10, 2);
    List<EpochStats> h = finetune(true).run(m, m.parameters(), 3);
    double best = h.stream().mapToDouble(EpochStats::valAccuracy).max().orElseThrow();
    assertEquals(best, Evaluator.evaluate(m, val, 256).accuracy(), 0);
  }

  @Test
  void sameSeedSameWeightsAndZeroEpochsChangeNothing() {
    Module a = Models.create("lenet300", 10, 4);
    Module b = Models.create("lenet300", 10, 4);
    float[] before = a.parameters().get(0).value().data().clone();
    assertTrue(finetune(false).run(a, a.parameters(), 0).isEmpty());
    assertArrayEquals(before, a.parameters().get(0).value().data());
    finetune(false).run(a, a.parameters(), 1);
    finetune(false).run(b, b.parameters(), 1);
    for (int i = 0; i < a.parameters().size(); i++) {
      assertArrayEquals(
          a.parameters().get(i).value().data(), b.parameters().get(i).value().data(), "param " + i);
    }
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Finetune.Settings(0, 0.1, 0.9, 0, 1, false, false));
    assertThrows(
        IllegalArgumentException.class, () -> new Finetune.Settings(8, 0, 0.9, 0, 1, false, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Finetune(train, null, new Finetune.Settings(8, 0.1, 0.9, 0, 1, false, true)));
    Module m = Models.create("lenet300", 10, 1);
    assertThrows(IllegalArgumentException.class, () -> finetune(false).run(m, m.parameters(), -1));
  }
}
