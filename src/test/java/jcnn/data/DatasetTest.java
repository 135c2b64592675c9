package jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Subsets (views) and seeded train / validation splits, on a small random dataset. */
class DatasetTest {
  private final Dataset data = Synthetic.dataset(Synthetic.RGB, 50, 4, 5, 1);

  @Test
  void subsetIsAViewInTheGivenOrder() {
    Dataset s = data.subset(new int[] {7, 3, 7});
    assertEquals(3, s.size());
    assertArrayEquals(data.image(7), s.image(0));
    assertArrayEquals(data.image(3), s.image(1));
    assertEquals(data.label(7), s.label(2));
    assertEquals(data.pixel(3, 2, 3, 4), s.pixel(1, 2, 3, 4));
    // A subset of a subset maps through both.
    Dataset ss = s.subset(new int[] {1});
    assertArrayEquals(data.image(3), ss.image(0));
    assertEquals("rgb subset of subset of train [1, 3, 4, 5]", ss.toString());
  }

  @Test
  void subsetChecksIndices() {
    assertThrows(IndexOutOfBoundsException.class, () -> data.subset(new int[] {0, 50}));
    assertThrows(IndexOutOfBoundsException.class, () -> data.subset(new int[] {-1}));
  }

  @Test
  void splitIsDisjointCoversAndIsSeeded() {
    Dataset.Split s = data.split(12, 42);
    assertEquals(38, s.train().size());
    assertEquals(12, s.validation().size());
    assertEquals("validation", s.validation().part());
    // Every original image lands in exactly one part; images are identified by their bytes.
    int[] seen = new int[data.size()];
    for (Dataset part : new Dataset[] {s.train(), s.validation()}) {
      for (int i = 0; i < part.size(); i++) {
        seen[indexOf(part.image(i))]++;
      }
    }
    int[] ones = new int[data.size()];
    Arrays.fill(ones, 1);
    assertArrayEquals(ones, seen);
    // Same seed, same split; another seed, another split.
    assertArrayEquals(s.validation().image(5), data.split(12, 42).validation().image(5));
    assertFalse(sameImages(s.validation(), data.split(12, 43).validation()));
  }

  private int indexOf(byte[] image) {
    for (int i = 0; i < data.size(); i++) {
      if (Arrays.equals(data.image(i), image)) {
        return i;
      }
    }
    throw new AssertionError("image not in the dataset");
  }

  private static boolean sameImages(Dataset a, Dataset b) {
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.image(i), b.image(i))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void splitRefusesTestSetsAndBadCounts() {
    Dataset test = new Dataset(Synthetic.GREY, false, new byte[2 * 4], new int[] {0, 1}, 1, 2, 2);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> test.split(1, 0));
    assertTrue(e.getMessage().contains("test set"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> data.split(0, 0));
    assertThrows(IllegalArgumentException.class, () -> data.split(50, 0));
    // Views of the training set may be split again.
    assertTrue(data.split(10, 0).train().split(5, 1).validation().isFromTrainingSet());
  }

  @Test
  void constructorChecksSizesAndLabels() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Dataset(Synthetic.GREY, true, new byte[7], new int[] {0, 1}, 1, 2, 2));
    assertTrue(e.getMessage().contains("7 pixel bytes for 2 labels"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Dataset(Synthetic.GREY, true, new byte[8], new int[] {0, 10}, 1, 2, 2));
    assertTrue(e.getMessage().contains("label 10 of image 1"), e.getMessage());
  }

  @Test
  void classCounts() {
    assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, data.classCounts());
    assertEquals(3 * 4 * 5, data.imageSize());
  }
}
