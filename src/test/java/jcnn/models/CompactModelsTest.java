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

/**
 * The compact networks: parameter counts of the ImageNet configurations equal torchvision's (and
 * the MobileNet V1 paper's), the CIFAR-10 configurations give 10 logits for 32x32 inputs, the width
 * multiplier scales them, and a width that breaks a layer is an error naming --width.
 */
class CompactModelsTest {
  @ParameterizedTest
  @CsvSource({
    "squeezenet, 1248424", // torchvision squeezenet1_0
    "squeezenet-bypass, 1248424", // the simple bypass adds no parameter
    "mobilenet2, 3504872", // torchvision mobilenet_v2
    "mobilenet1, 4231976", // Howard et al.'s 4.2M, convs without bias, BN scale and shift counted
  })
  void imagenetParameterCounts(String name, long expected) {
    assertEquals(expected, Models.create(name, 1000, 1, true).numParameters());
  }

  @ParameterizedTest
  @CsvSource({
    "mobilenet2-0.5x, 1968680", // torchvision mobilenet_v2(width_mult=0.5)
    "mobilenet2-0.75x, 2636424", // width_mult=0.75
    "mobilenet2-0.25x, 1519112", // width_mult=0.25 (counts printed by torchvision 0.14)
  })
  void mobilenet2WidthsMatchTorchvision(String name, long expected) {
    assertEquals(expected, Models.create(name, 1000, 1, true).numParameters());
  }

  @ParameterizedTest
  @CsvSource({
    "squeezenet, 734986", // benchmarks/peers/torch_compact_train.py --check-params, written
    "squeezenet-bypass, 734986", // apart from these classes from the same definitions
    "mobilenet1, 3217226",
    "mobilenet2, 2236682",
    "sepnet, 516746",
    "mobilenet2-0.5x, 700490",
  })
  void cifarParameterCountsEqualThePyTorchPeers(String name, long expected) {
    assertEquals(expected, Models.create(name, 10, 1).numParameters());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "squeezenet",
        "squeezenet-bypass",
        "mobilenet1",
        "mobilenet2",
        "sepnet",
        "mobilenet1-0.25x",
        "sepnet-0.5x"
      })
  void cifarForwardGivesOneLogitPerClass(String name) {
    Module m = Models.create(name, 10, 1);
    m.eval();
    try (var scope = GradMode.noGrad()) {
      Variable y = m.forward(Variable.constant(Tensor.randn(2, 1f, 2, 3, 32, 32)));
      assertArrayEquals(new int[] {2, 10}, y.shape().dims());
    }
  }

  @Test
  void sepnetAtImagenetScaleIsAboutThePapers13M() {
    long p = Models.create("sepnet", 1000, 1, true).numParameters();
    assertTrue(p > 1_200_000 && p < 1_400_000, "sepnet ImageNet parameters " + p);
  }

  @Test
  void widthScalesParametersByAboutAlphaSquared() {
    long full = Models.create("mobilenet1", 10, 1).numParameters();
    long half = Models.create(Models.withWidth("mobilenet1", 0.5), 10, 1).numParameters();
    double ratio = (double) half / full;
    assertTrue(ratio > 0.24 && ratio < 0.30, "alpha 0.5 kept " + ratio + " of the parameters");
  }

  @Test
  void widthNames() {
    assertEquals("mobilenet2-0.5x", Models.withWidth("mobilenet2", 0.5));
    assertEquals("mobilenet2", Models.withWidth("mobilenet2", 1.0));
    assertEquals("sepnet-0.75x", Models.withWidth("sepnet", 0.75));
    assertEquals(0.75, Models.width("sepnet-0.75x"));
    assertEquals("mobilenet2", Models.spec("mobilenet2-0.5x").name());
    assertEquals(1.0, Models.width("squeezenet-bypass"));
  }

  @Test
  void resolutionNamesAndTheResizingFirstLayer() {
    assertEquals("mobilenet2-0.5x-r0.75", Models.variant("mobilenet2", 0.5, 0.75));
    assertEquals("squeezenet-bypass-r0.5", Models.variant("squeezenet-bypass", 1, 0.5));
    assertEquals(0.75, Models.resolution("mobilenet2-0.5x-r0.75"));
    assertEquals(0.5, Models.width("mobilenet2-0.5x-r0.75"));
    assertEquals("squeezenet-bypass", Models.spec("squeezenet-bypass-r0.5").name());
    assertEquals(1.0, Models.resolution("mobilenet2-0.5x"));
    jcnn.nn.Module net = Models.create("squeezenet-r0.5", 10, 1);
    assertTrue(((jcnn.nn.Sequential) net).get(0) instanceof jcnn.nn.Resize);
    assertEquals(Models.create("squeezenet", 10, 1).numParameters(), net.numParameters());
    net.eval();
    var y = net.forward(jcnn.autograd.Variable.constant(jcnn.tensor.Tensor.zeros(2, 3, 32, 32)));
    assertArrayEquals(new int[] {2, 10}, y.shape().dims());
    assertThrows(IllegalArgumentException.class, () -> Models.variant("lenet5", 1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Models.variant("mobilenet1", 1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> Models.spec("resnet20-r0.5"));
  }

  @Test
  void badWidthsNameTheOption() {
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () -> Models.create(Models.withWidth("squeezenet", 0.01), 10, 1));
    assertTrue(zero.getMessage().startsWith("--width 0.01 leaves"), zero.getMessage());
    IllegalArgumentException groups =
        assertThrows(
            IllegalArgumentException.class,
            () -> Models.create(Models.withWidth("sepnet", 0.3), 10, 1));
    assertTrue(groups.getMessage().contains("not divisible by its 4 groups"), groups.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Models.withWidth("resnet20", 0.5));
    assertThrows(IllegalArgumentException.class, () -> Models.withWidth("mobilenet1", 0));
    assertThrows(IllegalArgumentException.class, () -> Models.create("resnet20", 1000, 1, true));
  }
}
