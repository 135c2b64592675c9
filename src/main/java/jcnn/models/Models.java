package jcnn.models;

import java.util.List;
import java.util.Locale;
import jcnn.nn.Module;

/**
 * The named networks of {@code REFERENCE.md}, by the names the CLI takes: {@code lenet5}, {@code
 * lenet300}, {@code cifar-tz}, {@code resnet20}, {@code resnet56}, and the compact ones {@code
 * squeezenet}, {@code squeezenet-bypass}, {@code mobilenet1}, {@code mobilenet2}, {@code sepnet}.
 *
 * <p>A compact network at another width multiplier than 1 is named with it: {@code mobilenet2-0.5x}
 * is MobileNet V2 at alpha 0.5 ({@link #withWidth}). That name is what model files store, so a file
 * rebuilds its own width. Every network is built in the configuration for the dataset it is trained
 * on (32x32 for the compact ones, see docs/models.md); {@link #create(String, int, long, boolean)}
 * builds a compact network's original ImageNet configuration instead (224x224 inputs), for {@code
 * jcnn summary} and parameter-count tests.
 */
public final class Models {
  /**
   * What a model expects: its input [C, H, W], the dataset it is trained on by default, and whether
   * it takes a width multiplier (the compact networks).
   */
  public record Spec(
      String name, int channels, int height, int width, String dataset, boolean compact) {}

  private static final List<Spec> SPECS =
      List.of(
          new Spec("lenet5", 1, 28, 28, "mnist", false),
          new Spec("lenet300", 1, 28, 28, "mnist", false),
          new Spec("cifar-tz", 3, 32, 32, "cifar10", false),
          new Spec("resnet20", 3, 32, 32, "cifar10", false),
          new Spec("resnet56", 3, 32, 32, "cifar10", false),
          new Spec("squeezenet", 3, 32, 32, "cifar10", true),
          new Spec("squeezenet-bypass", 3, 32, 32, "cifar10", true),
          new Spec("mobilenet1", 3, 32, 32, "cifar10", true),
          new Spec("mobilenet2", 3, 32, 32, "cifar10", true),
          new Spec("sepnet", 3, 32, 32, "cifar10", true));

  private static final String WIDTH_SUFFIX = "x";

  private Models() {}

  /** The base names (without width). */
  public static List<String> names() {
    return SPECS.stream().map(Spec::name).toList();
  }

  /** The spec of a name, with or without a width suffix. */
  public static Spec spec(String name) {
    String base = baseName(name);
    for (Spec s : SPECS) {
      if (s.name().equals(base)) {
        if (!base.equals(name) && !s.compact()) {
          throw new IllegalArgumentException(
              "model " + base + " takes no width multiplier (got '" + name + "')");
        }
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "'; known: " + String.join(", ", names()));
  }

  /**
   * The name of network {@code base} at width multiplier {@code width}: the base name at width 1,
   * else e.g. {@code mobilenet2-0.5x}. A width for a network that takes none is an error.
   */
  public static String withWidth(String base, double width) {
    Spec s = spec(base);
    if (!s.name().equals(base)) {
      throw new IllegalArgumentException("--model takes a base name, got '" + base + "'");
    }
    if (width == 1.0) {
      return base;
    }
    if (!s.compact()) {
      throw new IllegalArgumentException(
          "--width is for the compact networks (squeezenet, mobilenet1, mobilenet2, sepnet); "
              + base
              + " has none");
    }
    Width.check(width);
    String w = String.format(Locale.ROOT, "%s", width).replaceAll("\\.?0+$", "");
    return base + "-" + (w.startsWith(".") ? "0" + w : w) + WIDTH_SUFFIX;
  }

  /** The width multiplier in a name (1 when it has none). */
  public static double width(String name) {
    String base = baseName(name);
    return base.equals(name)
        ? 1.0
        : Double.parseDouble(name.substring(base.length() + 1, name.length() - 1));
  }

  /** The name without its width suffix ({@code mobilenet2-0.5x} -> {@code mobilenet2}). */
  static String baseName(String name) {
    if (name != null && name.endsWith(WIDTH_SUFFIX)) {
      int dash = name.lastIndexOf('-');
      if (dash > 0 && name.substring(dash + 1, name.length() - 1).matches("[0-9]*\\.?[0-9]+")) {
        return name.substring(0, dash);
      }
    }
    return name;
  }

  /** A freshly initialised network; the same seed gives the same weights. */
  public static Module create(String name, int classes, long seed) {
    return create(name, classes, seed, false);
  }

  /**
   * {@link #create(String, int, long)}, in the original ImageNet configuration when {@code
   * imagenet} (compact networks only; the others have one configuration).
   */
  public static Module create(String name, int classes, long seed, boolean imagenet) {
    Spec spec = spec(name);
    if (imagenet && !spec.compact()) {
      throw new IllegalArgumentException(
          spec.name() + " has no ImageNet configuration (only the compact networks do)");
    }
    if (classes < 1) {
      throw new IllegalArgumentException("--classes must be at least 1, got " + classes);
    }
    double w = width(name);
    return switch (spec.name()) {
      case "lenet5" -> LeNet.lenet5(seed);
      case "lenet300" -> LeNet.lenet300(seed);
      case "cifar-tz" -> CifarTz.create(CifarTz.DEFAULT_WIDTH, classes, seed);
      case "resnet20" -> ResNetCifar.create(20, classes, seed);
      case "resnet56" -> ResNetCifar.create(56, classes, seed);
      case "squeezenet" -> SqueezeNet.create(classes, w, false, imagenet, seed);
      case "squeezenet-bypass" -> SqueezeNet.create(classes, w, true, imagenet, seed);
      case "mobilenet1" -> MobileNetV1.create(classes, w, imagenet, seed);
      case "mobilenet2" -> MobileNetV2.create(classes, w, imagenet, seed);
      case "sepnet" -> SepNet.create(classes, w, imagenet, seed);
      default -> throw new IllegalStateException("no factory for " + name);
    };
  }
}
