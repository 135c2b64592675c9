package jcnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import jcnn.data.Augment;
import jcnn.data.Batch;
import jcnn.data.Batches;
import jcnn.data.DataLoader;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.Dropout;
import jcnn.nn.Module;
import jcnn.nn.Sequential;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weight averaging: the mean of the parameters and of the batch-norm statistics, the layout and
 * buffer checks, and the batch-norm update against statistics computed here in double from the same
 * batches (dropout off, per-batch means averaged, unbiased variances, momentum restored).
 */
class WeightAveragingTest {
  private static Dataset images;

  @BeforeAll
  static void data() throws IOException {
    images = Datasets.load("mnist", true, null).subset(IntStream.range(0, 1000).toArray());
  }

  @Test
  void theAverageIsTheMeanOfParametersAndStatistics() {
    Module a = Models.create("cifar-tz", 10, 1);
    Module b = Models.create("cifar-tz", 10, 2);
    Module c = Models.create("cifar-tz", 10, 3);
    BatchNorm2d bnB = firstBatchNorm(b);
    bnB.runningMean().fill(3f);
    bnB.runningVar().fill(5f);
    float w4 = a.stateDict().get("0.weight").dataForRead()[4];
    Module avg = Models.create("cifar-tz", 10, 9);
    WeightAveraging.average(avg, List.of(a, b, c));
    Map<String, Tensor> sa = a.stateDict();
    Map<String, Tensor> sb = b.stateDict();
    Map<String, Tensor> sc = c.stateDict();
    avg.stateDict()
        .forEach(
            (k, t) -> {
              float[] x = sa.get(k).dataForRead();
              float[] y = sb.get(k).dataForRead();
              float[] z = sc.get(k).dataForRead();
              float[] got = t.dataForRead();
              for (int i = 0; i < got.length; i++) {
                assertEquals(
                    (float) (((double) x[i] + y[i] + z[i]) / 3), got[i], k + "[" + i + "]");
              }
            });
    BatchNorm2d bn = firstBatchNorm(avg);
    assertEquals((0 + 3 + 0) / 3f, bn.runningMean().dataForRead()[0], 1e-6);
    assertEquals((1 + 5 + 1) / 3f, bn.runningVar().dataForRead()[0], 1e-6);
    // the target may be one of the models
    WeightAveraging.average(a, List.of(a, b));
    float got = a.stateDict().get("0.weight").dataForRead()[4];
    assertEquals((float) (((double) w4 + sb.get("0.weight").dataForRead()[4]) / 2), got);
  }

  @Test
  void differentLayoutsAndBuffersAreRefusedByName() {
    Module a = Models.create("lenet5", 10, 1);
    Module wider = Models.create("cifar-tz", 10, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WeightAveraging.average(Models.create("lenet5", 10, 2), List.of(a, wider)));
    assertTrue(e.getMessage().startsWith("model 2"), e.getMessage());

    Conv2d c1 = new Conv2d(1, 2, 3, 1, 1, 1);
    Conv2d c2 = new Conv2d(1, 2, 3, 1, 1, 2);
    c1.setBuffer("weight_mask", Tensor.full(1f, 2, 1, 3, 3));
    c2.setBuffer("weight_mask", Tensor.full(1f, 2, 1, 3, 3));
    Module m1 = new Sequential(c1);
    Module m2 = new Sequential(c2);
    WeightAveraging.average(m1, List.of(m1, m2)); // equal masks: fine
    c2.buffer("weight_mask").data()[5] = 0;
    e =
        assertThrows(
            IllegalArgumentException.class, () -> WeightAveraging.average(m1, List.of(m1, m2)));
    assertTrue(
        e.getMessage().startsWith("buffer 0.weight_mask differs between model 1 and model 2"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WeightAveraging.average(m1, List.of()));
  }

  @Test
  void batchNormStatisticsAreRecomputedWithDropoutOff() {
    BatchNorm2d bn = new BatchNorm2d(1, 1e-5f, 0.1f);
    Dropout drop = new Dropout(0.5f, 3);
    Module model = new Sequential(drop, bn);
    int seen = WeightAveraging.updateBatchNorm(model, images, 250, 600, null, 1);
    assertEquals(600, seen);
    assertEquals(0.1f, bn.momentum());
    assertFalse(model.isTraining());
    assertFalse(bn.isTraining());
    assertEquals(0, drop.calls(), "dropout ran");

    // expected: the plain mean over the batches (250, 250, 100) of each batch's mean and
    // unbiased variance of the normalised pixels
    Dataset first = images.subset(IntStream.range(0, 600).toArray());
    DataLoader loader = DataLoader.builder(first).batchSize(250).shuffle(false).build();
    double meanSum = 0;
    double varSum = 0;
    int batches = 0;
    try (Batches it = loader.epoch(0)) {
      while (it.hasNext()) {
        Batch b = it.next();
        float[] x = b.x().dataForRead();
        double s = 0;
        for (float v : x) {
          s += v;
        }
        double mean = s / x.length;
        double ss = 0;
        for (float v : x) {
          ss += (v - mean) * (v - mean);
        }
        meanSum += mean;
        varSum += ss / (x.length - 1);
        batches++;
      }
    }
    assertEquals(3, batches);
    assertEquals(meanSum / 3, bn.runningMean().dataForRead()[0], 1e-5);
    assertEquals(varSum / 3, bn.runningVar().dataForRead()[0], 1e-4);

    // the same again from different starting statistics gives the same values
    float[] once = {bn.runningMean().dataForRead()[0], bn.runningVar().dataForRead()[0]};
    bn.runningMean().fill(7f);
    bn.runningVar().fill(0.5f);
    WeightAveraging.updateBatchNorm(model, images, 250, 600, null, 1);
    assertArrayEquals(
        once, new float[] {bn.runningMean().dataForRead()[0], bn.runningVar().dataForRead()[0]});

    assertThrows(
        IllegalArgumentException.class,
        () -> WeightAveraging.updateBatchNorm(model, images, 1, 0, null, 1));
  }

  @Test
  void statisticsComeFromAugmentedImagesWhenTrainingAugmented() {
    BatchNorm2d bn = new BatchNorm2d(1, 1e-5f, 0.1f);
    Module model = new Sequential(bn);
    WeightAveraging.updateBatchNorm(model, images, 250, 600, null, 1);
    float plainMean = bn.runningMean().dataForRead()[0];
    float plainVar = bn.runningVar().dataForRead()[0];
    // an augmentation that brightens every pixel by 3 moves the mean by 3, not the variance
    Augment brighter =
        (img, off, c, h, w, zero, rng) -> {
          for (int i = off; i < off + c * h * w; i++) {
            img[i] += 3f;
          }
        };
    WeightAveraging.updateBatchNorm(model, images, 250, 600, brighter, 1);
    assertEquals(plainMean + 3, bn.runningMean().dataForRead()[0], 1e-4);
    assertEquals(plainVar, bn.runningVar().dataForRead()[0], 1e-3);
    // the real crop and flip: seeded, so the same statistics twice
    WeightAveraging.updateBatchNorm(model, images, 250, 600, Augment.cifar(), 5);
    float[] once = {bn.runningMean().dataForRead()[0], bn.runningVar().dataForRead()[0]};
    WeightAveraging.updateBatchNorm(model, images, 250, 600, Augment.cifar(), 5);
    assertArrayEquals(
        once, new float[] {bn.runningMean().dataForRead()[0], bn.runningVar().dataForRead()[0]});
  }

  private static BatchNorm2d firstBatchNorm(Module m) {
    for (Module x : m.namedModules().values()) {
      if (x instanceof BatchNorm2d bn) {
        return bn;
      }
    }
    throw new AssertionError("no batch norm in " + m.describe());
  }
}
