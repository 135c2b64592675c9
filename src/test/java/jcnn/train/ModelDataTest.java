package jcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which dataset a model file runs on: its own, an explicit one that fits, never one that does not.
 */
class ModelDataTest {
  @Test
  void theFilesDatasetWinsOverTheNetworksUsualOne() {
    ModelData d = ModelData.of("lenet5", 10, "fashion-mnist");
    assertTrue(d.fromFile());
    assertNull(d.note());
    assertEquals("fashion-mnist", d.choose(null, w -> {}));
    assertEquals(0.2860f, d.info().mean()[0]);
  }

  @Test
  void aFileWithoutADatasetFallsBackAndSaysSo() {
    ModelData d = ModelData.of("resnet20", 10, null);
    assertFalse(d.fromFile());
    assertEquals("cifar10", d.dataset());
    assertEquals("model-default", d.source());
    assertTrue(d.note().contains("names no dataset") && d.note().contains("cifar10"), d.note());
  }

  @Test
  void aDatasetOfTheSameShapeWarnsAndOneOfAnotherIsAnError() {
    ModelData d = ModelData.of("lenet5", 10, "mnist");
    List<String> warnings = new ArrayList<>();
    assertEquals("fashion-mnist", d.choose("fashion-mnist", warnings::add));
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("trained on mnist"), warnings.get(0));
    assertEquals("mnist", d.choose("mnist", warnings::add));
    assertEquals(1, warnings.size(), "the file's own dataset needs no warning");

    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> d.choose("cifar10", w -> {}));
    assertTrue(shape.getMessage().contains("1x28x28 images"), shape.getMessage());
    ModelData hundred = ModelData.of("resnet20", 100, "cifar10");
    IllegalArgumentException classes =
        assertThrows(IllegalArgumentException.class, () -> hundred.choose("mnist", w -> {}));
    assertTrue(classes.getMessage().contains("100 classes"), classes.getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.choose("imagenet", w -> {}));
    assertThrows(IllegalArgumentException.class, () -> ModelData.of("lenet5", 10, "svhn"));
  }
}
