package jcnn.models;

import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.Dropout;
import jcnn.nn.GlobalAvgPool;
import jcnn.nn.InvertedResidual;
import jcnn.nn.Linear;
import jcnn.nn.ReLU6;
import jcnn.nn.Sequential;

/**
 * MobileNet V2 (Sandler et al. 2018, Table 2): a 3x3 convolution with 32 filters and stride 2, 17
 * {@link InvertedResidual} blocks in seven groups (expansion t, channels c, repeats n, stride s of
 * the group's first block), a 1x1 convolution to 1280 channels, global average pool, dropout 0.2
 * and a fully connected classifier; batch norm and ReLU6 after the full convolutions. At alpha 1,
 * 224x224 and 1000 classes: 3,504,872 parameters, exactly torchvision's {@code mobilenet_v2}.
 *
 * <p>CIFAR-10 configuration (docs/models.md): the first convolution and the first stride-2 group
 * (24 channels) have stride 1, so 32x32 inputs reach the last groups at 4x4 (ImageNet's 224 would
 * reach 7x7 through five halvings; three suit 32). The width multiplier alpha scales the channels
 * as torchvision does (to a multiple of 8), and the last 1280 only when alpha > 1.
 */
public final class MobileNetV2 {
  /** t, c, n, s of Table 2. */
  private static final int[][] GROUPS = {
    {1, 16, 1, 1},
    {6, 24, 2, 2},
    {6, 32, 3, 2},
    {6, 64, 4, 2},
    {6, 96, 3, 1},
    {6, 160, 3, 2},
    {6, 320, 1, 1}
  };

  private MobileNetV2() {}

  public static Sequential create(int classes, double width, boolean imagenet, long seed) {
    Width.check(width);
    int c = Width.divisible(32 * width, 8);
    int last = Width.divisible(1280 * Math.max(1.0, width), 8);
    Sequential net =
        new Sequential(
            new Conv2d(3, c, 3, imagenet ? 2 : 1, 1, 1, false, seed),
            new BatchNorm2d(c),
            new ReLU6());
    long s = seed + 1;
    for (int g = 0; g < GROUPS.length; g++) {
      int t = GROUPS[g][0];
      int out = Width.divisible(GROUPS[g][1] * width, 8);
      int stride = !imagenet && g == 1 ? 1 : GROUPS[g][3];
      for (int i = 0; i < GROUPS[g][2]; i++) {
        net.add(new InvertedResidual(c, out, i == 0 ? stride : 1, t, s));
        s += 3;
        c = out;
      }
    }
    net.add(new Conv2d(c, last, 1, 1, 0, 1, false, s))
        .add(new BatchNorm2d(last))
        .add(new ReLU6())
        .add(new GlobalAvgPool()) // [N, last]
        .add(new Dropout(0.2f, s + 1))
        .add(new Linear(last, classes, s + 2));
    return net;
  }
}
