package jcnn.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import jcnn.backend.ConvSpec;

/**
 * The real convolution layer shapes of our networks, by name, for benchmarks and parity tests.
 * Legend: N batch, C in-channels, K out-channels, H x W input, R x S filter.
 */
public final class ConvShapes {
  /** One convolution layer's shape. */
  public record ConvShape(
      String name,
      int n,
      int c,
      int k,
      int h,
      int w,
      int r,
      int s,
      int stride,
      int pad,
      int groups) {

    public ConvSpec spec() {
      return ConvSpec.of(stride, pad, groups);
    }

    public int p() {
      return (h + 2 * pad - r) / stride + 1;
    }

    public int q() {
      return (w + 2 * pad - s) / stride + 1;
    }

    /** FLOPs of one forward pass: 2 * N * K * P * Q * (C / groups) * R * S. */
    public double forwardFlops() {
      return 2.0 * n * k * p() * q() * (c / groups) * r * s;
    }

    /** Forward, backward-data and backward-weight: three GEMMs of the same size. */
    public double trainingFlops() {
      return 3 * forwardFlops();
    }

    /**
     * Bytes the three passes must move at least, each tensor read or written once: forward reads x
     * and w and writes y, backward-data reads gy and w and writes gx, backward-weight reads x and
     * gy and writes gw; 3 * (x + y + w) floats. A layer doing little arithmetic per byte
     * (depthwise: 9 multiply-adds per output) is bounded by this over the memory bandwidth, not by
     * the FMA units.
     */
    public double trainingBytes() {
      double x = (double) n * c * h * w;
      double y = (double) n * k * p() * q();
      double wt = (double) k * (c / groups) * r * s;
      return 4.0 * 3 * (x + y + wt);
    }

    /** The same layer with another batch size (tests use small batches). */
    public ConvShape withBatch(int batch) {
      return new ConvShape(name, batch, c, k, h, w, r, s, stride, pad, groups);
    }
  }

  private static final Map<String, ConvShape> SHAPES = new LinkedHashMap<>();

  static {
    add(new ConvShape("lenet5.conv1", 64, 1, 20, 28, 28, 5, 5, 1, 0, 1));
    add(new ConvShape("lenet5.conv2", 64, 20, 50, 12, 12, 5, 5, 1, 0, 1));
    add(new ConvShape("resnet20.conv1", 128, 3, 16, 32, 32, 3, 3, 1, 1, 1));
    add(new ConvShape("resnet20.stage1", 128, 16, 16, 32, 32, 3, 3, 1, 1, 1));
    add(new ConvShape("resnet20.down2", 128, 16, 32, 32, 32, 3, 3, 2, 1, 1));
    add(new ConvShape("resnet20.stage2", 128, 32, 32, 16, 16, 3, 3, 1, 1, 1));
    add(new ConvShape("resnet20.stage3", 128, 64, 64, 8, 8, 3, 3, 1, 1, 1));
    add(new ConvShape("cifar.conv64", 128, 64, 64, 32, 32, 3, 3, 1, 1, 1));
    add(new ConvShape("mobilenet.dw", 64, 64, 64, 16, 16, 3, 3, 1, 1, 64));
    add(new ConvShape("mobilenet.pw", 64, 64, 128, 16, 16, 1, 1, 1, 0, 1));
    // CIFAR-10 mobilenet2's widest depthwise layers (24 * 6 = 144 channels at 32x32) and the
    // stride-2 one that halves them, at the training batch of 128.
    add(new ConvShape("mobilenet2.dw", 128, 144, 144, 32, 32, 3, 3, 1, 1, 144));
    add(new ConvShape("mobilenet2.dw-s2", 128, 144, 144, 32, 32, 3, 3, 2, 1, 144));
    add(new ConvShape("mobilenet2.pw", 128, 144, 24, 32, 32, 1, 1, 1, 0, 1));
    add(new ConvShape("sepnet.group4", 64, 64, 64, 16, 16, 3, 3, 1, 1, 4));
    // CIFAR-10 squeezenet's costliest layer: fire4's 3x3 expand (squeeze 32 -> 128) at 32x32,
    // 4.8 G multiply-adds per batch of 128 forward.
    add(new ConvShape("squeezenet.fire4.e3", 128, 32, 128, 32, 32, 3, 3, 1, 1, 1));
  }

  private ConvShapes() {}

  private static void add(ConvShape s) {
    SHAPES.put(s.name(), s);
  }

  /** The shape called {@code name}; the error lists the known names. */
  public static ConvShape get(String name) {
    ConvShape s = SHAPES.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "unknown conv shape '" + name + "'; known: " + String.join(", ", SHAPES.keySet()));
    }
    return s;
  }

  public static Iterable<ConvShape> all() {
    return SHAPES.values();
  }
}
