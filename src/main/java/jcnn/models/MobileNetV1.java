package jcnn.models;

import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.DepthwiseSeparableConv;
import jcnn.nn.GlobalAvgPool;
import jcnn.nn.Linear;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;

/**
 * MobileNet V1 (Howard et al. 2017, Table 1): a full 3x3 convolution with 32 filters and stride 2,
 * then 13 depthwise-separable blocks ({@link DepthwiseSeparableConv}: dw 3x3 + BN + ReLU, pw 1x1 +
 * BN + ReLU) to 1024 channels, global average pool and a fully connected classifier. Convolutions
 * have no bias; the classifier has one. At alpha 1, 224x224 and 1000 classes: 4,231,976 parameters
 * (batch-norm scale and shift counted, running statistics not), the paper's 4.2M.
 *
 * <p>CIFAR-10 configuration (docs/models.md): the first convolution has stride 1, so the five
 * stride-2 blocks take 32x32 to 2x2 instead of 224 to 7 (with stride 2 there too the last blocks
 * would run on 1x1 maps). The width multiplier alpha scales every channel count (int(alpha * c),
 * Keras' rounding).
 */
public final class MobileNetV1 {
  /** Output channels and stride of the 13 blocks. */
  private static final int[][] BLOCKS = {
    {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1},
    {512, 1}, {512, 1}, {1024, 2}, {1024, 1}
  };

  private MobileNetV1() {}

  public static Sequential create(int classes, double width, boolean imagenet, long seed) {
    Width.check(width);
    int c = Width.truncate(32, width, "conv1");
    Sequential net =
        new Sequential(
            new Conv2d(3, c, 3, imagenet ? 2 : 1, 1, 1, false, seed),
            new BatchNorm2d(c),
            new ReLU());
    for (int i = 0; i < BLOCKS.length; i++) {
      int out = Width.truncate(BLOCKS[i][0], width, "block " + (i + 1));
      net.add(new DepthwiseSeparableConv(c, out, BLOCKS[i][1], seed + 2L * (i + 1)));
      c = out;
    }
    net.add(new GlobalAvgPool()); // [N, C]
    net.add(new Linear(c, classes, seed + 100));
    return net;
  }
}
