package jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageInput} and {@link Resample}: resizing keeps constants constant and copies an axis of
 * the same length exactly, shrinking averages areas, and a dataset image written as an 8-bit PNG of
 * its own size reads back as exactly the tensor {@link DataLoader} makes of it (gray and RGB). Bad
 * files are one-line {@link IllegalArgumentException}s naming the file.
 */
class ImageInputTest {
  @TempDir Path dir;

  @Test
  void resizingAConstantImageKeepsItConstant() {
    double[] src = new double[3 * 50 * 70];
    Arrays.fill(src, 137.0);
    int[][] sizes = {{28, 28}, {32, 32}, {7, 90}, {120, 13}, {50, 70}};
    for (int[] s : sizes) {
      double[] out = Resample.resize(src, 3, 50, 70, s[0], s[1]);
      assertEquals(3 * s[0] * s[1], out.length);
      for (double v : out) {
        assertEquals(137.0, v, 1e-9, Arrays.toString(s));
      }
    }
  }

  @Test
  void theSameSizeIsAnExactCopyAndShrinkingAveragesAreas() {
    double[] src = new double[2 * 9 * 5];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < src.length; i++) {
      src[i] = rng.nextInt(256);
    }
    assertArrayEquals(src, Resample.resize(src, 2, 9, 5, 9, 5));
    double[] square = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}; // [1, 4, 4]
    assertArrayEquals(
        new double[] {5, 9, 21, 25}, Resample.resize(square, 1, 4, 4, 2, 2), 1e-12); // 2x2 means
    double[] pair = {0, 90}; // [1, 1, 2] to [1, 1, 3]: half-pixel centres, edges held
    assertArrayEquals(new double[] {0, 45, 90}, Resample.resize(pair, 1, 1, 2, 1, 3), 1e-12);
  }

  @Test
  void aGray28x28PngReadsBackAsTheNormalisedTensor() throws IOException {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        img.getRaster().setSample(x, y, 0, (9 * x + 3 * y) % 256);
      }
    }
    Path file = dir.resolve("gray.png");
    ImageIO.write(img, "png", file.toFile());
    float[] got = ImageInput.read(file, Datasets.MNIST, 28, 28);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        float want = (float) (((9 * x + 3 * y) % 256 / 255.0 - 0.1307f) / 0.3081f);
        assertEquals(want, got[y * 28 + x], 0f, "pixel " + x + ", " + y);
      }
    }
  }

  @Test
  void datasetImagesWrittenAsPngReadBackAsTheLoadersTensor() throws IOException {
    Dataset mnist = Datasets.load("mnist", false, (Path) null).subset(new int[] {0, 1, 2});
    Dataset rgb = Synthetic.dataset(Synthetic.RGB, 3, 32, 32, 5);
    for (Dataset d : List.of(mnist, rgb)) {
      List<Path> files = writePngs(d, dir.resolve(d.name()));
      Tensor got = ImageInput.batch(files, d.info(), d.height(), d.width());
      try (Batches b = DataLoader.builder(d).batchSize(3).shuffle(false).build().epoch(0)) {
        Tensor want = b.next().x();
        assertEquals(want.shape(), got.shape());
        assertArrayEquals(want.dataForRead(), got.dataForRead(), 0f, d.name());
      }
    }
  }

  @Test
  void aColourImageForAGrayDatasetIsItsLuminance() throws IOException {
    BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, (200 << 16) | (100 << 8) | 50);
    Path file = dir.resolve("colour.png");
    ImageIO.write(img, "png", file.toFile());
    float want = (float) ((0.299 * 200 + 0.587 * 100 + 0.114 * 50) / 255.0 - 0.25f) / 0.5f;
    float[] got = ImageInput.read(file, Synthetic.GREY, 2, 2); // enlarged: still constant
    for (float v : got) {
      assertEquals(want, v, 1e-6f);
    }
  }

  @Test
  void badFilesAreOneLineErrorsNamingTheFile() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    Path missing = dir.resolve("missing.png");
    Path gray = dir.resolve("gray.png");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png", gray.toFile());
    Path truncated = dir.resolve("truncated.png");
    byte[] png = Files.readAllBytes(gray);
    Files.write(truncated, Arrays.copyOf(png, png.length / 2));
    assertMessage(text, Datasets.MNIST, "not an image jcnn can decode");
    assertMessage(missing, Datasets.MNIST, "no such file");
    assertMessage(gray, Datasets.CIFAR10, "a grayscale image, but cifar10 takes colour");
    assertMessage(truncated, Datasets.MNIST, "cannot decode the image");
  }

  private static void assertMessage(Path file, DatasetInfo info, String part) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageInput.read(file, info, 28, 28));
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString()) && m.contains(part) && !m.contains("\n"), m);
  }

  /** Writes each image of {@code d} as an 8-bit PNG (gray or RGB) under {@code folder}. */
  static List<Path> writePngs(Dataset d, Path folder) throws IOException {
    Files.createDirectories(folder);
    Path[] files = new Path[d.size()];
    for (int i = 0; i < d.size(); i++) {
      files[i] = folder.resolve("image-" + i + ".png");
      ImageIO.write(toImage(d, i), "png", files[i].toFile());
    }
    return List.of(files);
  }

  private static BufferedImage toImage(Dataset d, int i) {
    boolean gray = d.channels() == 1;
    int type = gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
    BufferedImage img = new BufferedImage(d.width(), d.height(), type);
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        if (gray) {
          img.getRaster().setSample(x, y, 0, d.pixel(i, 0, y, x));
        } else {
          int rgb = d.pixel(i, 0, y, x) << 16 | d.pixel(i, 1, y, x) << 8 | d.pixel(i, 2, y, x);
          img.setRGB(x, y, rgb);
        }
      }
    }
    return img;
  }
}
