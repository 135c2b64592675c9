package jcnn.models;

import jcnn.nn.Conv2d;
import jcnn.nn.Flatten;
import jcnn.nn.Linear;
import jcnn.nn.MaxPool2d;
import jcnn.nn.Module;
import jcnn.nn.Parameter;
import jcnn.nn.ReLU;
import jcnn.nn.Sequential;
import jcnn.nn.init.Init;

/**
 * The two MNIST networks of Deep Compression (Han et al. 2016, Table 1), exactly as Caffe defines
 * them; Tzelepis et al. 2019 use the same LeNet-5 as their MNIST classifier. Parameter counts are
 * asserted in {@code ModelsTest}.
 */
public final class LeNet {
  private LeNet() {}

  /**
   * LeNet-5 (Caffe variant), 431,080 parameters: conv 1->20 5x5, ReLU, maxpool 2, conv 20->50 5x5,
   * ReLU, maxpool 2, fc 800->500, ReLU, fc 500->10. Input [N, 1, 28, 28].
   */
  public static Sequential lenet5(long seed) {
    return torchDefaultInit(
        new Sequential(
            new Conv2d(1, 20, 5, 1, 0, seed), // [N, 20, 24, 24]
            new ReLU(),
            new MaxPool2d(2, 2), // [N, 20, 12, 12]
            new Conv2d(20, 50, 5, 1, 0, seed + 1), // [N, 50, 8, 8]
            new ReLU(),
            new MaxPool2d(2, 2), // [N, 50, 4, 4]
            new Flatten(), // [N, 800]
            new Linear(800, 500, seed + 2),
            new ReLU(),
            new Linear(500, 10, seed + 3)),
        seed);
  }

  /**
   * LeNet-300-100, 266,610 parameters: fc 784->300, ReLU, fc 300->100, ReLU, fc 100->10. Input [N,
   * 1, 28, 28], flattened first.
   */
  public static Sequential lenet300(long seed) {
    return torchDefaultInit(
        new Sequential(
            new Flatten(), // [N, 784]
            new Linear(784, 300, seed),
            new ReLU(),
            new Linear(300, 100, seed + 1),
            new ReLU(),
            new Linear(100, 10, seed + 2)),
        seed);
  }

  /**
   * Re-initialises every convolution and linear layer as PyTorch does by default (weights and
   * biases uniform in +-1/sqrt(fan-in), {@link Init#torchDefault}). With He initialisation these
   * plain networks diverge at SGD learning rates above ~0.01 (measured in PyTorch too); with this
   * one they train at 0.05, and the LeNet recipes match what PyTorch users run.
   */
  static Sequential torchDefaultInit(Sequential net, long seed) {
    long s = seed * 1_000_003L;
    for (Module m : net.namedModules().values()) {
      Parameter w = m instanceof Conv2d c ? c.weight() : m instanceof Linear l ? l.weight() : null;
      Parameter b = m instanceof Conv2d c ? c.bias() : m instanceof Linear l ? l.bias() : null;
      if (w != null) {
        int fanIn = Init.fanIn(w.value().shape());
        Init.torchDefault(w.value(), fanIn, s++);
        if (b != null) {
          Init.torchDefault(b.value(), fanIn, s++);
        }
      }
    }
    return net;
  }
}
