package jcnn.models;

import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.GlobalAvgPool;
import jcnn.nn.Linear;
import jcnn.nn.ReLU;
import jcnn.nn.SepModule;
import jcnn.nn.Sequential;

/**
 * SEP-Net (Li et al. 2017): SEP modules ({@link SepModule}: 1x1 reduce to a quarter of the
 * channels, two Pattern Residual Blocks of 4 groups, 1x1 recover, residual) alternating with 3x3
 * stride-2 convolutions that double the channels, then global average pool and a fully connected
 * classifier; batch norm and ReLU after every convolution, no biases but the classifier's. The
 * paper gives the module and the alternation, not a layer table for its ImageNet SEP-Net, so the
 * layout below is ours (docs/models.md):
 *
 * <ul>
 *   <li>ImageNet (about 1.27M parameters at 1000 classes, the paper's 1.3M): conv 3x3/2 to 32, conv
 *       3x3/2 to 64, 2 SEP(64), conv/2 to 128, 2 SEP(128), conv/2 to 256, 2 SEP(256), conv/2 to
 *       512, 1 SEP(512); the stride-2 convolutions after the second are group-wise (4 groups), as
 *       the paper makes its k x k convolutions.
 *   <li>CIFAR-10: conv 3x3 to 64 at stride 1, 2 SEP(64), conv/2 to 128, 2 SEP(128), conv/2 to 256,
 *       2 SEP(256): 32x32 -> 16 -> 8 maps; the convolutions are full (not grouped) at this size.
 * </ul>
 *
 * The width multiplier scales every channel count (int(alpha * c)); the reduced width of each
 * module must stay divisible by the 4 groups.
 */
public final class SepNet {
  static final int GROUPS = 4;

  private SepNet() {}

  public static Sequential create(int classes, double width, boolean imagenet, long seed) {
    Width.check(width);
    int[] stages = imagenet ? new int[] {64, 128, 256, 512} : new int[] {64, 128, 256};
    int[] modules = imagenet ? new int[] {2, 2, 2, 1} : new int[] {2, 2, 2};
    Sequential net = new Sequential();
    int c = 3;
    long s = seed;
    if (imagenet) {
      int stem = Width.truncate(32, width, "stem conv");
      net.add(convBnRelu(c, stem, 2, 1, s++));
      c = stem;
    }
    for (int i = 0; i < stages.length; i++) {
      int out = Width.grouped(stages[i], width, GROUPS, "stage " + (i + 1));
      boolean first = i == 0;
      int stride = first && !imagenet ? 1 : 2;
      int groups = imagenet && !first ? GROUPS : 1;
      net.add(convBnRelu(c, out, stride, groups, s++));
      c = out;
      int reduced =
          Width.grouped(stages[i] / 4, width, GROUPS, "the SEP modules of stage " + (i + 1));
      for (int m = 0; m < modules[i]; m++) {
        net.add(new SepModule(c, reduced, GROUPS, s));
        s += 7;
      }
    }
    net.add(new GlobalAvgPool()); // [N, C]
    net.add(new Linear(c, classes, s));
    return net;
  }

  private static Sequential convBnRelu(int in, int out, int stride, int groups, long seed) {
    return new Sequential(
        new Conv2d(in, out, 3, stride, 1, groups, false, seed), new BatchNorm2d(out), new ReLU());
  }
}
