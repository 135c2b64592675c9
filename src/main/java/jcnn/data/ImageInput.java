package jcnn.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import jcnn.tensor.Tensor;

/**
 * Image files (PNG, JPEG, whatever {@code javax.imageio} decodes) as the network input of a
 * dataset: decoded, given the dataset's channel count, resized to its H x W by {@link Resample}
 * (area averaging to shrink, bilinear to enlarge: our own arithmetic, so the same file gives the
 * same tensor everywhere) and normalised per channel as {@code (pixel / 255 - mean) / std} in the
 * same arithmetic as {@link DataLoader}. So a dataset image written out as an 8-bit PNG of its own
 * size and read back here is bit for bit the tensor the loader makes of it.
 *
 * <p>Channels: an image is grayscale when its colour model has one colour component (a gray PNG or
 * JPEG); its stored values are used as they are (not converted through sRGB). A 1-channel dataset
 * (MNIST, Fashion-MNIST) takes a grayscale image as it is and a colour image as its luminance
 * {@code 0.299 R + 0.587 G + 0.114 B}; a 3-channel dataset (CIFAR-10) takes the sRGB values of a
 * colour image and refuses a grayscale one, which has the wrong channel count. Alpha is ignored.
 * Nothing is inverted: MNIST digits are white (255) on black (0), so a dark digit on white paper
 * must be inverted by the user first.
 *
 * <p>Bad input (a missing file, one that does not decode, a grayscale image for a colour dataset)
 * is an {@link IllegalArgumentException} whose one-line message starts with the file. Tested by
 * {@code ImageInputTest}, and end to end by {@code PredictCommandTest}.
 */
public final class ImageInput {
  private ImageInput() {}

  /** The images at {@code files} as one normalised batch [N, C, H, W] for dataset {@code info}. */
  public static Tensor batch(List<Path> files, DatasetInfo info, int height, int width)
      throws IOException {
    int chw = info.channels() * height * width;
    float[] x = new float[files.size() * chw]; // [N, C, H, W]
    for (int n = 0; n < files.size(); n++) {
      float[] one = read(files.get(n), info, height, width);
      System.arraycopy(one, 0, x, n * chw, chw);
    }
    return Tensor.of(x, files.size(), info.channels(), height, width);
  }

  /** One image file as a normalised [C, H, W] input of dataset {@code info}. */
  public static float[] read(Path file, DatasetInfo info, int height, int width)
      throws IOException {
    return normalise(pixels(decode(file), file, info, height, width), info);
  }

  /** Decodes {@code file}; bad input is an {@link IllegalArgumentException} naming it. */
  static BufferedImage decode(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + ": is a directory, not an image");
    }
    byte[] bytes = Files.readAllBytes(file);
    BufferedImage img;
    try { // ImageIO.read closes the stream; a memory stream holds nothing to release anyway
      img = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException | RuntimeException e) { // a damaged image: its decoder's complaint
      throw new IllegalArgumentException(
          file + ": cannot decode the image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new IllegalArgumentException(
          file + ": not an image jcnn can decode (PNG or JPEG expected)");
    }
    return img;
  }

  /** True when {@code img} has one colour component (gray), whatever its bit depth or alpha. */
  static boolean isGray(BufferedImage img) {
    return img.getColorModel().getNumColorComponents() == 1;
  }

  /**
   * The pixel values (0..255, not rounded) of {@code img} in {@code info}'s channel count, resized
   * to [C, height, width]. Rows are read and resized one at a time, so a large photo never exists
   * as doubles at full size.
   */
  static double[] pixels(BufferedImage img, Path file, DatasetInfo info, int height, int width) {
    int c = info.channels();
    if (c != 1 && c != 3) {
      throw new IllegalArgumentException(info + ": images of " + c + " channels are not supported");
    }
    if (c == 3 && isGray(img)) {
      throw new IllegalArgumentException(
          String.format(
              "%s: a grayscale image, but %s takes colour (RGB, 3-channel) images",
              file, info.name()));
    }
    int h = img.getHeight();
    int w = img.getWidth();
    Resample.Taps across = Resample.taps(w, width);
    double[] line = new double[c * w]; // [C, W]: one source row
    double[] mid = new double[c * h * width]; // [C, H, width]
    for (int y = 0; y < h; y++) {
      sourceRow(img, y, c, line);
      for (int ch = 0; ch < c; ch++) {
        Resample.row(across, line, ch * w, mid, (ch * h + y) * width);
      }
    }
    return Resample.columns(Resample.taps(h, height), mid, c, h, width);
  }

  /**
   * Row {@code y} of {@code img} as {@code c} channels of 0..255 values into {@code out} [C, W].
   */
  private static void sourceRow(BufferedImage img, int y, int c, double[] out) {
    int w = img.getWidth();
    if (isGray(img)) { // c == 1 here: the raw samples, scaled from the stored bit depth
      Raster r = img.getRaster();
      int[] s = r.getSamples(0, y, w, 1, 0, new int[w]);
      double scale = 255.0 / ((1L << img.getColorModel().getComponentSize(0)) - 1);
      for (int x = 0; x < w; x++) {
        out[x] = s[x] * scale;
      }
      return;
    }
    int[] argb = img.getRGB(0, y, w, 1, null, 0, w);
    for (int x = 0; x < w; x++) {
      int r = (argb[x] >> 16) & 0xff;
      int g = (argb[x] >> 8) & 0xff;
      int b = argb[x] & 0xff;
      if (c == 1) { // integer weights: a gray pixel stored as colour (r = g = b) keeps its value
        out[x] = (299 * r + 587 * g + 114 * b) / 1000.0;
      } else {
        out[x] = r;
        out[w + x] = g;
        out[2 * w + x] = b;
      }
    }
  }

  /** {@code (v / 255 - mean[c]) / std[c]} for values [C, H, W], as {@link DataLoader} computes. */
  static float[] normalise(double[] chw, DatasetInfo info) {
    float[] mean = info.mean();
    float[] std = info.std();
    int plane = chw.length / info.channels();
    float[] out = new float[chw.length];
    for (int i = 0; i < chw.length; i++) {
      int c = i / plane;
      out[i] = (float) ((chw[i] / 255.0 - mean[c]) / std[c]);
    }
    return out;
  }
}
