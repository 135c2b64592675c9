package jcnn.models;

import java.util.List;
import jcnn.nn.Module;

/**
 * The named networks of {@code REFERENCE.md}, by the names the CLI takes: {@code lenet5}, {@code
 * lenet300}, {@code cifar-tz}, {@code resnet20}, {@code resnet56}.
 */
public final class Models {
  /** What a model expects: its input [C, H, W] and the dataset it is trained on by default. */
  public record Spec(String name, int channels, int height, int width, String dataset) {}

  private static final List<Spec> SPECS =
      List.of(
          new Spec("lenet5", 1, 28, 28, "mnist"),
          new Spec("lenet300", 1, 28, 28, "mnist"),
          new Spec("cifar-tz", 3, 32, 32, "cifar10"),
          new Spec("resnet20", 3, 32, 32, "cifar10"),
          new Spec("resnet56", 3, 32, 32, "cifar10"));

  private Models() {}

  public static List<String> names() {
    return SPECS.stream().map(Spec::name).toList();
  }

  public static Spec spec(String name) {
    for (Spec s : SPECS) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "'; known: " + String.join(", ", names()));
  }

  /** A freshly initialised network; the same seed gives the same weights. */
  public static Module create(String name, int classes, long seed) {
    spec(name);
    return switch (name) {
      case "lenet5" -> LeNet.lenet5(seed);
      case "lenet300" -> LeNet.lenet300(seed);
      case "cifar-tz" -> CifarTz.create(CifarTz.DEFAULT_WIDTH, classes, seed);
      case "resnet20" -> ResNetCifar.create(20, classes, seed);
      case "resnet56" -> ResNetCifar.create(56, classes, seed);
      default -> throw new IllegalStateException("no factory for " + name);
    };
  }
}
