package jcnn.models;

import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.Dropout;
import jcnn.nn.GlobalAvgPool;
import jcnn.nn.MaxPool2d;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;

/**
 * The CIFAR-10 classifier of Tzelepis et al. 2019 (Sec. IV-B), as described there: three
 * convolutional blocks, each conv3x3-BN-ReLU, conv3x3-BN-ReLU, dropout (after batch norm, never
 * before, following Li et al. 2018 on the variance shift), max pooling 2; then a fully
 * convolutional classifier of basic residual units, a 1x1 convolution to the classes and global
 * average pooling.
 *
 * <p>The paper gives no widths. Ours: the blocks have w, 2w, 4w channels; the classifier two basic
 * residual units of 4w channels on the 4x4 maps; dropout 0.1, 0.2, 0.3 after the three blocks. The
 * default w = 32 has 879,594 parameters (asserted in {@code ModelsTest}) and trains on a CPU; w =
 * 80 has 5,482,170, close to the paper's 23,412,032-byte (5.85M-float) model.
 */
public final class CifarTz {
  private CifarTz() {}

  public static final int DEFAULT_WIDTH = 32;

  /** Input [N, 3, 32, 32]. */
  public static Sequential create(int width, int classes, long seed) {
    if (width < 1) {
      throw new IllegalArgumentException("cifar-tz: width must be >= 1, got " + width);
    }
    Sequential net = new Sequential();
    int in = 3;
    long s = seed;
    float[] dropout = {0.1f, 0.2f, 0.3f};
    for (int block = 0; block < 3; block++) {
      int c = width << block;
      net.add(new Conv2d(in, c, 3, 1, 1, 1, false, s++));
      net.add(new BatchNorm2d(c));
      net.add(new ReLU());
      net.add(new Conv2d(c, c, 3, 1, 1, 1, false, s++));
      net.add(new BatchNorm2d(c));
      net.add(new ReLU());
      net.add(new Dropout(dropout[block], s++));
      net.add(new MaxPool2d(2, 2)); // 32 -> 16 -> 8 -> 4
      in = c;
    }
    for (int unit = 0; unit < 2; unit++) {
      net.add(ResNetCifar.basicBlock(in, in, 1, s));
      s += 2;
    }
    net.add(new Conv2d(in, classes, 1, 1, 0, 1, true, s)); // [N, classes, 4, 4]
    net.add(new GlobalAvgPool()); // [N, classes]
    return net;
  }
}
