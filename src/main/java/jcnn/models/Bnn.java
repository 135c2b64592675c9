package jcnn.models;

import jcnn.nn.BatchNorm2d;
import jcnn.nn.Conv2d;
import jcnn.nn.Flatten;
import jcnn.nn.Linear;
import jcnn.nn.MaxPool2d;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;

/**
 * The two networks of BNN (Hubara, Courbariaux et al. 2016, "Binarized Neural Networks", Sec. 2 and
 * their code), in the float form: every weight layer followed by batch norm, every batch norm but
 * the last followed by a ReLU. Trained with {@code --weights binary --activations binary}, the
 * ReLUs become sign activations and every weight is binarized; the input of the first layer and the
 * output of the last (after its batch norm) stay real, as in the paper. The float form is the
 * network "of the same shape" a binary one is compared with.
 *
 * <p>Both take the width multiplier alpha ({@code --width}), which scales every hidden layer: the
 * paper's shapes are alpha = 1; docs/models.md says what 2 cores can train. The layers have no
 * bias: the batch norm after each one has its own shift.
 */
final class Bnn {
  private Bnn() {}

  /** The MNIST MLP: 784 -> 3 x (4096 alpha) -> classes. Input [N, 1, 28, 28]. */
  static Sequential mlp(int classes, double alpha, long seed) {
    int h = Width.truncate(4096, alpha, "the hidden layers");
    Sequential net = new Sequential(new Flatten()); // [N, 784]
    int in = 28 * 28;
    for (int i = 0; i < 3; i++) {
      net.add(new Linear(in, h, false, seed + i)).add(new BatchNorm2d(h)).add(new ReLU());
      in = h;
    }
    net.add(new Linear(in, classes, false, seed + 3)).add(new BatchNorm2d(classes));
    return net;
  }

  /**
   * The CIFAR-10 ConvNet: 2 x 128C3 - MP2 - 2 x 256C3 - MP2 - 2 x 512C3 - MP2 - 2 x 1024FC - 10FC
   * (channels times alpha), batch norm after every layer. Input [N, 3, 32, 32].
   */
  static Sequential convnet(int classes, double alpha, long seed) {
    Sequential net = new Sequential();
    int in = 3;
    long s = seed;
    int[] widths = {128, 128, 256, 256, 512, 512};
    for (int i = 0; i < widths.length; i++) {
      int c = Width.truncate(widths[i], alpha, "conv layer " + (i + 1));
      net.add(new Conv2d(in, c, 3, 1, 1, 1, false, s++)); // [N, c, H, W]
      if (i % 2 == 1) {
        net.add(new MaxPool2d(2, 2)); // 32 -> 16 -> 8 -> 4
      }
      net.add(new BatchNorm2d(c)).add(new ReLU());
      in = c;
    }
    net.add(new Flatten()); // [N, in * 4 * 4]
    int f = in * 4 * 4;
    for (int i = 0; i < 2; i++) {
      int h = Width.truncate(1024, alpha, "the fully connected layers");
      net.add(new Linear(f, h, false, s++)).add(new BatchNorm2d(h)).add(new ReLU());
      f = h;
    }
    net.add(new Linear(f, classes, false, s)).add(new BatchNorm2d(classes));
    return net;
  }
}
