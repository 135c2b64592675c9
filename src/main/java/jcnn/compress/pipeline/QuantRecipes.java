package jcnn.compress.pipeline;

import java.util.List;
import jcnn.compress.pipeline.QuantRecipe.Stage;
import jcnn.compress.pipeline.QuantRecipe.Target;

/**
 * The binary and ternary recipes of issue 18, by {@code jcnn reproduce} name. Every training uses
 * seed 1 and 5,000 validation images carved from the training set; the best epoch on validation is
 * the one written to the file. The quantized stages train with Adam (a binary layer's gradient is
 * scaled by its small weights, and a TTQ scale's sums a whole layer's, so SGD at float rates does
 * not move the former and throws off the latter; docs/quantization.md has the measurements).
 *
 * <pre>
 * recipe               float reference (same shape)          quantized                                target
 * bnn-mnist            bnn-mlp-0.25x, 20 ep, Adam 1e-3        +binary+unscaled+binact, 100 ep, 3e-3    error &lt;= 1.5%
 * binaryconnect-mnist  bnn-mlp-0.25x, 20 ep, Adam 1e-3        +binary and +binary-stochastic (both     error &lt;= 1.5% each
 *                                                             unscaled, float ReLU), 100 ep, 3e-3
 * twn-lenet5           lenet5, 10 ep, SGD 0.05                +ternary, fine-tuned 10 ep, Adam 1e-4    accuracy &gt;= 99.2%
 * ttq-resnet20         resnet20, 30 ep, SGD 0.1, crop+flip    +ttq, fine-tuned 20 ep, Adam 1e-4        within 1 point
 * bnn-cifar            bnn-convnet-0.25x, 30 ep, SGD 0.05     +binary+unscaled+binact, 30 ep, 3e-3     within 4 points
 * sepnet-pattern       sepnet, 30 ep, SGD 0.1, crop+flip      +pattern, fine-tuned 10 ep, Adam 1e-4    within 2 points
 * </pre>
 *
 * The MLPs are the papers' with 1,024 hidden units instead of 4,096 (width 0.25), and the ConvNet
 * the paper's at a quarter of its channels (2 x 32C3 - MP2 - 2 x 64C3 - MP2 - 2 x 128C3 - MP2 - 2 x
 * 256FC - 10FC), so that 2 cores train them; BinaryConnect's own MNIST MLP has 1,024 hidden units.
 * Tested in {@code QuantRecipesTest}.
 */
public final class QuantRecipes {
  private QuantRecipes() {}

  private static final String MLP = "bnn-mlp-0.25x";
  private static final String CONVNET = "bnn-convnet-0.25x";

  private static Stage mlpFloat() {
    return new Stage("float", MLP, "mnist", 20, 100, "adam", 1e-3, 0, "cosine", false);
  }

  private static Stage mlp(String label, String suffix) {
    return new Stage(label, MLP + suffix, "mnist", 100, 100, "adam", 3e-3, 0, "cosine", false);
  }

  private static Stage fineTune(String label, String model, String dataset, int epochs, int batch) {
    return new Stage(
        label, model, dataset, epochs, batch, "adam", 1e-4, 0, "cosine", dataset.equals("cifar10"));
  }

  public static final QuantRecipe BNN_MNIST =
      new QuantRecipe(
          "bnn-mnist",
          "BNN, binary weights and activations, on MNIST (Hubara et al. 2016, Table 1)",
          mlpFloat(),
          List.of(mlp("binary", "+binary+unscaled+binact")),
          false,
          new Target(Target.Kind.MAX_ERROR, 0.015),
          "BNN MLP 784 - 3 x 4096 - 10, 1000 epochs: 0.96% test error",
          "51 min on 2 cores (260 s of float training, 2,763 s of binary; measured 2026-12-07)",
          "The MLP at 1,024 hidden units (width 0.25) for 2 cores; batch norm after every layer,"
              + " sign activations with the hard-tanh gradient, +-1 weights (no scale), latent"
              + " weights clipped to [-1, 1].");

  public static final QuantRecipe BINARYCONNECT_MNIST =
      new QuantRecipe(
          "binaryconnect-mnist",
          "BinaryConnect, deterministic and stochastic binary weights, on MNIST (Courbariaux et"
              + " al. 2015, Table 2)",
          mlpFloat(),
          List.of(
              mlp("binary", "+binary+unscaled"),
              mlp("binary-stochastic", "+binary-stochastic+unscaled")),
          false,
          new Target(Target.Kind.MAX_ERROR, 0.015),
          "BinaryConnect MLP 784 - 3 x 1024 - 10: 1.29% (deterministic), 1.18% (stochastic) test"
              + " error",
          "deterministic stage 27 min after 7 min of float training on 2 cores (measured"
              + " 2026-12-08); the stochastic stage has not finished a run yet",
          "Binary weights, float ReLU activations, batch norm after every layer; the stochastic"
              + " weights are +1 with probability hardSigmoid(w), drawn anew at every step, and the"
              + " sign at test time.");

  public static final QuantRecipe TWN_LENET5 =
      new QuantRecipe(
          "twn-lenet5",
          "Ternary Weight Networks on LeNet-5 / MNIST (Li, Zhang and Liu 2016)",
          new Stage("float", "lenet5", "mnist", 10, 64, "sgd", 0.05, 5e-4, "cosine", false),
          List.of(fineTune("ternary", "lenet5+ternary", "mnist", 10, 64)),
          true,
          new Target(Target.Kind.MIN_ACCURACY, 0.992),
          "TWN LeNet-5: 99.35% test accuracy (float 99.41%)",
          "4.3 min on 2 cores (103 s of float training, 139 s of ternary fine-tuning; measured"
              + " 2026-12-07)",
          "conv2 and fc1 ternary (threshold 0.7 mean|w|, one scale per layer), conv1 and fc2"
              + " float, fine-tuned from the float model.");

  public static final QuantRecipe TTQ_RESNET20 =
      new QuantRecipe(
          "ttq-resnet20",
          "Trained Ternary Quantization on ResNet-20 / CIFAR-10 (Zhu et al. 2017, Table 1)",
          new Stage("float", "resnet20", "cifar10", 30, 128, "sgd", 0.1, 5e-4, "cosine", true),
          List.of(fineTune("ttq", "resnet20+ttq", "cifar10", 20, 128)),
          true,
          new Target(Target.Kind.MAX_DROP, 0.01),
          "TTQ ResNet-20: 8.23% -> 8.87% test error (0.64 points)",
          "not run yet (the float ResNet-20 alone takes about 3.5 h on 2 cores)",
          "Every layer but the first and the last ternary, threshold 0.05 max|w|, the two scales"
              + " per layer trained, fine-tuned from the float model.");

  public static final QuantRecipe BNN_CIFAR =
      new QuantRecipe(
          "bnn-cifar",
          "BNN, binary weights and activations, on CIFAR-10 (Hubara et al. 2016, Table 1)",
          new Stage("float", CONVNET, "cifar10", 30, 128, "sgd", 0.05, 5e-4, "cosine", true),
          List.of(
              new Stage(
                  "binary",
                  CONVNET + "+binary+unscaled+binact",
                  "cifar10",
                  30,
                  128,
                  "adam",
                  3e-3,
                  0,
                  "cosine",
                  true)),
          false,
          new Target(Target.Kind.MAX_DROP, 0.04),
          "BNN ConvNet (full width, 500 epochs): 11.40% test error",
          "not run yet",
          "The paper's ConvNet at a quarter of its channels, float and binary trained from"
              + " scratch the same number of epochs with crop and flip.");

  public static final QuantRecipe SEPNET_PATTERN =
      new QuantRecipe(
          "sepnet-pattern",
          "SEP-Net's pattern binarization on CIFAR-10 (Li et al. 2017)",
          new Stage("float", "sepnet", "cifar10", 30, 128, "sgd", 0.1, 5e-4, "cosine", true),
          List.of(fineTune("pattern", "sepnet+pattern", "cifar10", 10, 128)),
          true,
          new Target(Target.Kind.MAX_DROP, 0.02),
          "SEP-Net: pattern binarization of GoogLeNet's kxk filters costs about 3 points of"
              + " ImageNet top-1 at half the parameters",
          "68 min on 2 cores for the pattern fine-tune from compact-cifar's float SEP-Net"
              + " (--reference; measured 2026-12-07); training the float SEP-Net first adds about"
              + " 2.5 h",
          "The 3x3 group convolutions binary with a scale per output channel, the 1x1 filters and"
              + " the first convolution float, fine-tuned from the float model.");

  /** Every quantization recipe, in the order the help lists them. */
  public static final List<QuantRecipe> ALL =
      List.of(BNN_MNIST, BINARYCONNECT_MNIST, TWN_LENET5, TTQ_RESNET20, BNN_CIFAR, SEPNET_PATTERN);

  /** The recipe named {@code name}, or null. */
  public static QuantRecipe byName(String name) {
    return ALL.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }

  /** The names, comma-separated, for help and errors. */
  public static String names() {
    return String.join(", ", ALL.stream().map(QuantRecipe::name).toList());
  }
}
