package jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Batching, seeded shuffling, normalisation, per-sample augmentation seeds, prefetching and its
 * failure handling, on a small random RGB dataset (103 images of 3x6x5: batches of 10 leave 3).
 */
class DataLoaderTest {
  private final Dataset data = Synthetic.dataset(Synthetic.RGB, 103, 6, 5, 3);

  private DataLoader.Builder loader() {
    return DataLoader.builder(data).batchSize(10).seed(11);
  }

  private static List<Batch> all(DataLoader l, int epoch) {
    List<Batch> out = new ArrayList<>();
    try (Batches it = l.epoch(epoch)) {
      while (it.hasNext()) {
        out.add(it.next());
      }
    }
    return out;
  }

  private static void assertSameBatches(List<Batch> a, List<Batch> b) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).indices(), b.get(i).indices(), "batch " + i);
      assertArrayEquals(a.get(i).y().data(), b.get(i).y().data(), "batch " + i);
      assertArrayEquals(a.get(i).x().data(), b.get(i).x().data(), "batch " + i);
    }
  }

  @Test
  void batchCountsAndShapes() {
    DataLoader keep = loader().build();
    assertEquals(11, keep.numBatches());
    List<Batch> b = all(keep, 0);
    assertEquals(11, b.size());
    assertArrayEquals(new int[] {10, 3, 6, 5}, b.get(0).x().shape().dims());
    assertArrayEquals(new int[] {3, 3, 6, 5}, b.get(10).x().shape().dims());
    assertArrayEquals(new int[] {3}, b.get(10).y().shape().dims());
    DataLoader drop = loader().dropLast(true).build();
    assertEquals(10, drop.numBatches());
    assertEquals(10, all(drop, 0).size());
  }

  @Test
  void everySampleExactlyOncePerEpoch() {
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] seen = new int[data.size()];
      for (Batch b : all(loader().build(), epoch)) {
        for (int k = 0; k < b.size(); k++) {
          seen[b.indices()[k]]++;
          assertEquals(data.label(b.indices()[k]), b.y().data()[k]);
        }
      }
      int[] ones = new int[data.size()];
      Arrays.fill(ones, 1);
      assertArrayEquals(ones, seen, "epoch " + epoch);
    }
  }

  @Test
  void sameSeedSameBatchesWhateverThePrefetch() {
    List<Batch> sync = all(loader().prefetch(0).augment(Augment.cifar()).build(), 2);
    List<Batch> ahead = all(loader().prefetch(3).augment(Augment.cifar()).build(), 2);
    assertSameBatches(sync, ahead);
  }

  @Test
  void epochsAndSeedsChangeTheOrder() {
    DataLoader l = loader().build();
    assertFalse(Arrays.equals(l.order(0), l.order(1)));
    assertFalse(Arrays.equals(l.order(0), loader().seed(12).build().order(0)));
    // Resuming: epoch 4 of a fresh loader equals epoch 4 after running epochs 0..3.
    DataLoader used = loader().build();
    for (int e = 0; e < 4; e++) {
      all(used, e);
    }
    assertSameBatches(all(used, 4), all(loader().build(), 4));
    // No shuffle: dataset order.
    int[] order = loader().shuffle(false).build().order(5);
    for (int i = 0; i < order.length; i++) {
      assertEquals(i, order[i]);
    }
  }

  @Test
  void normalisesPerChannel() {
    Batch b = all(loader().shuffle(false).build(), 0).get(1);
    float[] mean = Synthetic.RGB.mean();
    float[] std = Synthetic.RGB.std();
    for (int k = 0; k < b.size(); k++) {
      int i = b.indices()[k];
      assertEquals(10 + k, i);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 6; y++) {
          for (int x = 0; x < 5; x++) {
            double want = (data.pixel(i, c, y, x) / 255.0 - mean[c]) / std[c];
            assertEquals(want, b.x().get(k, c, y, x), 1e-6);
          }
        }
      }
    }
  }

  @Test
  void augmentationDependsOnSampleNotOnBatching() {
    // The same sample gets the same crop and flip whatever batch it lands in.
    DataLoader small = loader().batchSize(4).augment(Augment.cifar()).build();
    DataLoader big = loader().batchSize(25).augment(Augment.cifar()).build();
    float[][] a = bySample(all(small, 1));
    float[][] b = bySample(all(big, 1));
    for (int i = 0; i < data.size(); i++) {
      assertArrayEquals(a[i], b[i], "sample " + i);
    }
    // And differs between epochs (for at least some samples).
    float[][] c = bySample(all(small, 2));
    int differ = 0;
    for (int i = 0; i < data.size(); i++) {
      differ += Arrays.equals(a[i], c[i]) ? 0 : 1;
    }
    assertTrue(differ > data.size() / 2, differ + " of " + data.size() + " changed");
  }

  private float[][] bySample(List<Batch> batches) {
    float[][] out = new float[data.size()][];
    int chw = data.imageSize();
    for (Batch b : batches) {
      for (int k = 0; k < b.size(); k++) {
        out[b.indices()[k]] = Arrays.copyOfRange(b.x().data(), k * chw, (k + 1) * chw);
      }
    }
    return out;
  }

  @Test
  void producerFailureReachesTheCaller() {
    RuntimeException boom = new RuntimeException("boom");
    for (int prefetch : new int[] {0, 2}) {
      AtomicInteger calls = new AtomicInteger();
      Augment failing =
          (img, off, c, h, w, zero, rng) -> {
            if (calls.incrementAndGet() == 25) { // sample 5 of batch 2
              throw boom;
            }
          };
      DataLoader l = loader().prefetch(prefetch).augment(failing).build();
      try (Batches it = l.epoch(0)) {
        it.next();
        it.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertSame(boom, e.getCause());
        assertTrue(e.getMessage().contains("batch 2 of epoch 0"), e.getMessage());
      }
    }
  }

  @Test
  void closeStopsTheProducer() throws InterruptedException {
    DataLoader l = loader().batchSize(1).prefetch(2).build();
    Batches it = l.epoch(0);
    it.next();
    Thread.sleep(20); // let the producer fill the queue and block on it
    it.close();
    assertFalse(it.producerAlive());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    it.close(); // idempotent
  }

  @Test
  void builderChecks() {
    assertThrows(IllegalArgumentException.class, () -> loader().batchSize(0).build());
    assertThrows(IllegalArgumentException.class, () -> loader().prefetch(-1).build());
    assertThrows(
        IllegalArgumentException.class, () -> loader().batchSize(200).dropLast(true).build());
    assertThrows(IllegalArgumentException.class, () -> loader().build().epoch(-1));
  }
}
