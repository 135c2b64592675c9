package jcnn.models;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.compress.quant.QuantSpec;
import jcnn.compress.quant.Quantization;
import jcnn.nn.Module;
import jcnn.nn.Resize;
import jcnn.nn.Sequential;
import jcnn.tensor.Tensor;

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
 *
 * <p>A binary or ternary network carries its quantization as a {@code +} suffix: {@code
 * lenet5+binary}, {@code bnn-mlp-0.25x+binary+unscaled+binact}, {@code resnet20+ttq} ({@link
 * QuantSpec}); {@link #create} builds the float network and applies it ({@link Quantization}), so a
 * model file of a quantized network rebuilds its transforms and its state dict loads into them. The
 * BNN networks {@code bnn-mlp} and {@code bnn-convnet} take a width multiplier too.
 */
public final class Models {
  /**
   * What a model expects: its input [C, H, W], the dataset it is trained on by default, and whether
   * it takes a width multiplier (the compact and the BNN networks), and whether it has an ImageNet
   * configuration (the compact ones).
   */
  public record Spec(
      String name,
      int channels,
      int height,
      int width,
      String dataset,
      boolean compact,
      boolean imagenet) {
    Spec(String name, int channels, int height, int width, String dataset, boolean compact) {
      this(name, channels, height, width, dataset, compact, compact);
    }
  }

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
          new Spec("sepnet", 3, 32, 32, "cifar10", true),
          new Spec("bnn-mlp", 1, 28, 28, "mnist", true, false),
          new Spec("bnn-convnet", 3, 32, 32, "cifar10", true, false));

  private static final String WIDTH_SUFFIX = "x";
  private static final String RESOLUTION_PREFIX = "-r";
  private static final Pattern VARIANT =
      Pattern.compile("(.*?)(?:-([0-9]*\\.?[0-9]+)x)?(?:-r([0-9]*\\.?[0-9]+))?", Pattern.DOTALL);

  private Models() {}

  /**
   * The name without its quantization suffix ({@code lenet5+binary} -> {@code lenet5}): the float
   * network the quantized one is built from.
   */
  public static String floatName(String name) {
    int plus = name.indexOf('+');
    return plus < 0 ? name : name.substring(0, plus);
  }

  /** The quantization a name carries ({@link QuantSpec#FLOAT} when none). */
  public static QuantSpec quantization(String name) {
    int plus = name.indexOf('+');
    return plus < 0 ? QuantSpec.FLOAT : QuantSpec.parse(name.substring(plus));
  }

  /**
   * The name of {@code name}'s float network quantized as {@code q}: e.g. {@code resnet20+ttq}, or
   * the float name for {@link QuantSpec#FLOAT}.
   */
  public static String withQuantization(String name, QuantSpec q) {
    spec(name); // an unknown model fails here, not at create
    return floatName(name) + q.suffix();
  }

  /** The base names (without width). */
  public static List<String> names() {
    return SPECS.stream().map(Spec::name).toList();
  }

  /** The spec of a name, with or without a width suffix. */
  public static Spec spec(String name) {
    String base = baseName(name);
    for (Spec s : SPECS) {
      if (s.name().equals(base)) {
        if (!base.equals(floatName(name)) && !s.compact()) {
          throw new IllegalArgumentException(
              "model " + base + " takes no width or resolution multiplier (got '" + name + "')");
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
    return variant(base, width, 1.0);
  }

  /**
   * The name of network {@code base} at width multiplier {@code width} and resolution multiplier
   * {@code resolution}: e.g. {@code mobilenet2-0.5x-r0.75}, parts at 1 left out. Either multiplier
   * on a network that takes none is an error naming its option.
   */
  public static String variant(String base, double width, double resolution) {
    Spec s = spec(base);
    if (!s.name().equals(base)) {
      throw new IllegalArgumentException("--model takes a base name, got '" + base + "'");
    }
    String name = base;
    if (width != 1.0) {
      requireCompact(s, "--width", "width multiplier");
      Width.check(width);
      name += "-" + number(width) + WIDTH_SUFFIX;
    }
    if (resolution != 1.0) {
      requireCompact(s, "--resolution", "resolution multiplier");
      Resize.check(resolution);
      name += RESOLUTION_PREFIX + number(resolution);
    }
    return name;
  }

  private static void requireCompact(Spec s, String option, String what) {
    if (!s.compact()) {
      throw new IllegalArgumentException(
          option
              + " is for the compact networks (squeezenet, mobilenet1, mobilenet2, sepnet) and the"
              + " BNN ones (bnn-mlp, bnn-convnet); "
              + s.name()
              + " has no "
              + what);
    }
  }

  /** 0.5 -> "0.5", 1.25 -> "1.25", .75 -> "0.75". */
  private static String number(double v) {
    String t = String.format(Locale.ROOT, "%s", v).replaceAll("\\.?0+$", "");
    return t.startsWith(".") ? "0" + t : t;
  }

  /** The width multiplier in a name (1 when it has none). */
  public static double width(String name) {
    Matcher m = parse(name);
    return m.group(2) == null ? 1.0 : Double.parseDouble(m.group(2));
  }

  /** The resolution multiplier in a name (1 when it has none). */
  public static double resolution(String name) {
    Matcher m = parse(name);
    return m.group(3) == null ? 1.0 : Double.parseDouble(m.group(3));
  }

  /**
   * The name without its width and resolution suffixes ({@code mobilenet2-0.5x} -> {@code
   * mobilenet2}).
   */
  static String baseName(String name) {
    return name == null ? null : parse(name).group(1);
  }

  private static Matcher parse(String name) {
    Matcher m = VARIANT.matcher(floatName(name));
    if (!m.matches()) {
      throw new IllegalStateException("unparsable model name " + name); // the pattern takes all
    }
    return m;
  }

  /**
   * Checks that network {@code name} (with its width and resolution) takes square images of side
   * {@code side}, by running one zero image through it; returns the network. A width that breaks a
   * layer fails as {@link #create} does; an input the network cannot take fails with one line
   * naming --resolution (or --input) and the smallest side the network takes.
   */
  public static Module checkInput(String name, int classes, boolean imagenet, int side) {
    Module net = create(name, classes, 0, imagenet);
    if (side < 1) {
      throw new IllegalArgumentException("--input must be at least 1 pixel, got " + side);
    }
    IllegalArgumentException failure = failure(net, spec(name).channels(), side);
    if (failure == null) {
      return net;
    }
    double rho = resolution(name);
    int reaches = Resize.scaled(side, rho);
    Module base = create(variant(baseName(name), width(name), 1.0), classes, 0, imagenet);
    int min = 0;
    for (int s = 1; s <= 1024 && min == 0; s++) {
      min = failure(base, spec(name).channels(), s) == null ? s : 0;
    }
    if (min == 0 || min <= reaches) { // not a matter of size: a network that takes one input only
      throw new IllegalArgumentException(
          "--input " + side + " does not fit " + name + ": " + failure.getMessage());
    }
    String what =
        rho == 1.0
            ? "--input " + side + " is too small"
            : "--resolution "
                + number(rho)
                + " makes the "
                + side
                + "x"
                + side
                + " input "
                + reaches
                + "x"
                + reaches;
    throw new IllegalArgumentException(
        what
            + ": "
            + baseName(name)
            + (imagenet ? " (ImageNet configuration)" : "")
            + " takes at least "
            + min
            + "x"
            + min);
  }

  /** The shape error a zero image of this side meets in net, or null when it runs through. */
  private static IllegalArgumentException failure(Module net, int channels, int side) {
    net.eval();
    try (GradMode.Scope g = GradMode.noGrad()) {
      net.forward(Variable.constant(Tensor.zeros(1, channels, side, side)));
      return null;
    } catch (IllegalArgumentException e) {
      return e;
    }
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
    if (imagenet && !spec.imagenet()) {
      throw new IllegalArgumentException(
          spec.name() + " has no ImageNet configuration (only the compact networks do)");
    }
    if (classes < 1) {
      throw new IllegalArgumentException("--classes must be at least 1, got " + classes);
    }
    QuantSpec q = quantization(name);
    Module net = createFloat(spec, classes, seed, imagenet, width(name), resolution(name));
    if (!q.isFloat()) {
      Quantization.apply(net, q, seed);
    }
    return net;
  }

  private static Module createFloat(
      Spec spec, int classes, long seed, boolean imagenet, double w, double rho) {
    Module net = build(spec, classes, seed, imagenet, w);
    if (rho == 1.0) {
      return net;
    }
    Sequential resized = new Sequential(new Resize(rho)); // rho checked there
    ((Sequential) net).children().forEach(resized::add);
    return resized;
  }

  private static Module build(Spec spec, int classes, long seed, boolean imagenet, double w) {
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
      case "bnn-mlp" -> Bnn.mlp(classes, w, seed);
      case "bnn-convnet" -> Bnn.convnet(classes, w, seed);
      default -> throw new IllegalStateException("no factory for " + spec.name());
    };
  }
}
