package jcnn.models;

import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.Dropout;
import jcnn.nn.Fire;
import jcnn.nn.GlobalAvgPool;
import jcnn.nn.MaxPool2d;
import jcnn.nn.ReLU;
import jcnn.nn.Residual;
import jcnn.nn.Sequential;

/**
 * SqueezeNet (Iandola et al. 2016, Table 1: SqueezeNet 1.0), with or without the simple bypass of
 * Fig. 2 (identity shortcuts around fire3, fire5, fire7 and fire9, the Fire modules whose input and
 * output widths match; no parameters added).
 *
 * <p>ImageNet configuration, exactly torchvision's {@code squeezenet1_0} (1,248,424 parameters at
 * 1000 classes): conv1 96 7x7 stride 2, max pool 3/2, fire2-4, max pool 3/2, fire5-8, max pool 3/2,
 * fire9, dropout 0.5, conv10 1x1 to the classes, ReLU, global average pool. The pools round up
 * (ceil mode) as torchvision's do, so the maps are 109, 54, 27 and 13 at 224x224 and the
 * multiply-adds equal torchvision's too.
 *
 * <p>CIFAR-10 configuration (32x32 inputs; see docs/models.md): conv1 96 3x3 stride 1 and no first
 * pool (a 7x7/2 conv and a pool would leave 8x8 maps before the first Fire), the same eight Fire
 * modules with 2x2 max pools after fire4 and fire8 (32 -> 16 -> 8: pooling late, as the paper
 * asks), batch norm after every convolution (SqueezeNet predates batch norm; with it the net trains
 * at a CIFAR learning rate without the careful initialisation of the paper), and the same
 * classifier. The width multiplier scales every channel count (int(alpha * c)).
 */
public final class SqueezeNet {
  /** fire2..fire9 of Table 1: squeeze s1x1, expand e1x1 and e3x3. */
  private static final int[][] FIRES = {
    {16, 64, 64}, {16, 64, 64}, {32, 128, 128}, {32, 128, 128},
    {48, 192, 192}, {48, 192, 192}, {64, 256, 256}, {64, 256, 256}
  };

  private SqueezeNet() {}

  public static Sequential create(
      int classes, double width, boolean bypass, boolean imagenet, long seed) {
    Width.check(width);
    boolean bn = !imagenet;
    int c1 = Width.truncate(96, width, "conv1");
    Sequential net = new Sequential();
    if (imagenet) {
      net.add(new Conv2d(3, c1, 7, 2, 0, 1, true, seed))
          .add(new ReLU())
          .add(new MaxPool2d(3, 2, 0, true));
    } else {
      net.add(new Conv2d(3, c1, 3, 1, 1, 1, true, seed)).add(new BatchNorm2d(c1)).add(new ReLU());
    }
    int in = c1;
    for (int i = 0; i < FIRES.length; i++) {
      int fire = i + 2; // the paper's numbering
      String name = "fire" + fire;
      int s = Width.truncate(FIRES[i][0], width, name + " squeeze");
      int e1 = Width.truncate(FIRES[i][1], width, name + " expand1x1");
      int e3 = Width.truncate(FIRES[i][2], width, name + " expand3x3");
      Fire f = new Fire(in, s, e1, e3, bn, seed + 3L * fire);
      boolean shortcut = bypass && fire % 2 == 1 && in == e1 + e3;
      net.add(shortcut ? new Residual(f) : f);
      in = e1 + e3;
      if (fire == 4 || fire == 8) {
        net.add(imagenet ? new MaxPool2d(3, 2, 0, true) : new MaxPool2d(2, 2));
      }
    }
    net.add(new Dropout(0.5f, seed + 100));
    net.add(new Conv2d(in, classes, 1, 1, 0, 1, true, seed + 101));
    net.add(new ReLU());
    net.add(new GlobalAvgPool()); // [N, classes]
    return net;
  }
}
