package jcnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jcnn.backend.PoolSpec;
import jcnn.models.Models;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link Summary}: rows, parameters and multiply-adds of a small net by hand, and of the ImageNet
 * configurations against torchvision (counted with forward hooks on torchvision 0.14's models:
 * squeezenet1_0 818,924,576 and mobilenet_v2 300,774,272 multiply-adds at 224x224) and the
 * MobileNet paper: Table 8, 569M for 1.0 MobileNet-224; Table 6, 150M for 0.50 MobileNet-224, so
 * (128/224)^2 of it, 49M, at 128x128 (every map shrinks by 128/224); Table 9, 1.32M parameters at
 * alpha 0.5.
 */
class SummaryTest {
  @Test
  void smallNetByHand() {
    Sequential net =
        new Sequential(
            new Conv2d(1, 2, 3, 1, 1, 1, true, 1), // 20 params, 2*4*4 outputs * 9 = 288 MACs
            new ReLU(),
            new MaxPool2d(2, 2),
            new Flatten(),
            new Linear(8, 3, 2)); // 27 params, 24 MACs
    Summary s = Summary.of(net, Shape.of(1, 4, 4));
    List<Summary.Row> rows = s.rows();
    assertEquals(5, rows.size(), rows.toString());
    assertEquals("0", rows.get(0).name());
    assertArrayEquals(new int[] {2, 4, 4}, rows.get(0).output().dims());
    assertEquals(20, rows.get(0).params());
    assertEquals(288, rows.get(0).macs());
    assertEquals("relu", rows.get(1).kind());
    assertEquals("maxPool2d", rows.get(2).kind());
    assertEquals("reshape", rows.get(3).kind());
    assertEquals("4", rows.get(4).name()); // matmul and bias add merged into one row
    assertEquals(27, rows.get(4).params());
    assertEquals(24, rows.get(4).macs());
    assertEquals(47, s.params());
    assertEquals(312, s.macs());
    assertEquals(4L * (32 + 32 + 8 + 8 + 3), s.activationBytes());
  }

  @Test
  void imagenetConfigurationsMatchTorchvisionAndThePapers() {
    assertSummary("squeezenet", 1_248_424, 818_924_576L);
    assertSummary("mobilenet2", 3_504_872, 300_774_272L);
    Summary v1 = summary("mobilenet1");
    assertEquals(4_231_976, v1.params());
    assertEquals(569e6, v1.macs(), 0.5e6); // the paper rounds to millions
    assertEquals(150e6, summary(Models.withWidth("mobilenet1", 0.5)).macs(), 0.6e6);
    Summary small = summary(Models.variant("mobilenet1", 0.5, 128 / 224.0));
    assertEquals(1.32e6, small.params(), 0.015e6);
    assertEquals(49e6, small.macs(), 0.5e6);
    assertArrayEquals(new int[] {3, 128, 128}, small.rows().get(0).output().dims()); // the resize
  }

  @Test
  void everyParameterIsCountedOnce() {
    for (String name : List.of("squeezenet-bypass", "sepnet", "mobilenet2-0.5x")) {
      var net = Models.create(name, 10, 1);
      assertEquals(net.numParameters(), Summary.of(net, Shape.of(3, 32, 32)).params(), name);
    }
  }

  @Test
  void ceilModePoolsAsPyTorch() {
    PoolSpec ceil = new PoolSpec(3, 3, 2, 2, 0, 0, true);
    assertEquals(54, ceil.outputShape("t", Shape.of(1, 1, 109, 109)).dim(2));
    assertEquals(27, ceil.outputShape("t", Shape.of(1, 1, 54, 54)).dim(2)); // floor gives 26
    assertEquals(26, PoolSpec.of(3, 2).outputShape("t", Shape.of(1, 1, 54, 54)).dim(2));
    // the last window may not start in the right padding: 5 + 2*1 - 2 = 5, ceil(5/2)+1 = 4 -> 3
    assertEquals(
        3, new PoolSpec(2, 2, 2, 2, 1, 1, true).outputShape("t", Shape.of(1, 1, 5, 5)).dim(2));
  }

  @Test
  void badInputIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Summary.of(new ReLU(), Shape.of(3, 32)));
  }

  private static Summary summary(String name) {
    return Summary.of(Models.create(name, 1000, 1, true), Shape.of(3, 224, 224));
  }

  private static void assertSummary(String name, long params, long macs) {
    Summary s = summary(name);
    assertEquals(params, s.params(), name + " params");
    assertEquals(macs, s.macs(), name + " mult-adds");
  }
}
