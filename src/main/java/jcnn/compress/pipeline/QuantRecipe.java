package jcnn.compress.pipeline;

import java.nio.file.Path;
import java.util.List;
import jcnn.train.TrainConfig;

/**
 * One published binary or ternary result as a one-command recipe ({@code ./jcnn reproduce NAME}):
 * an optional float reference network trained first, then one or more quantized trainings (from
 * scratch, or fine-tuned from the reference's best weights), each written to a {@code .jcz} with
 * its weights bit-packed, read back and measured from the file. The recipes are in {@link
 * QuantRecipes}, the run in {@link QuantRun}. Tested in {@code QuantRecipesTest}.
 *
 * @param reference the float network of the same shape, or null when the target needs none
 * @param fineTune whether the quantized stages start from the reference's best weights
 * @param published the paper's figure this recipe is compared with, as text
 * @param time how long the recipe takes on 2 cores, as text (measured or estimated, which it says)
 */
public record QuantRecipe(
    String name,
    String title,
    Stage reference,
    List<Stage> stages,
    boolean fineTune,
    Target target,
    String published,
    String time,
    String notes) {

  public QuantRecipe {
    stages = List.copyOf(stages);
    if (stages.isEmpty() || (fineTune && reference == null)) {
      throw new IllegalArgumentException(name + ": needs a stage, and a reference to fine-tune");
    }
    if (target.kind() == Target.Kind.MAX_DROP && reference == null) {
      throw new IllegalArgumentException(name + ": a drop is measured against a reference");
    }
  }

  /**
   * One training run.
   *
   * @param label the stage's folder and row name, e.g. {@code binary-stochastic}
   * @param model the network with its quantization suffix, e.g. {@code bnn-mlp-0.25x+binary}
   */
  public record Stage(
      String label,
      String model,
      String dataset,
      int epochs,
      int batch,
      String optimizer,
      double lr,
      double weightDecay,
      String schedule,
      boolean augment) {

    /** The config for {@code jcnn.train.Trainer}: seed 1, 5,000 validation images. */
    public TrainConfig config(
        int epochs, int limit, int threads, Path dataDir, Path out, Path init) {
      return new TrainConfig(
          model,
          dataset,
          epochs,
          batch,
          lr,
          optimizer,
          0.9,
          weightDecay,
          schedule,
          1,
          threads,
          5000,
          augment,
          0,
          limit,
          dataDir == null ? null : dataDir.toString(),
          out.toString(),
          init == null ? null : init.toString(),
          0,
          0);
    }
  }

  /**
   * What each quantized stage must reach, measured on the test set from its {@code .jcz}: an error
   * of at most {@code value} (MAX_ERROR), an accuracy of at least {@code value} (MIN_ACCURACY), or
   * at most {@code value} below the float reference (MAX_DROP).
   */
  public record Target(Kind kind, double value) {
    public enum Kind {
      MAX_ERROR,
      MIN_ACCURACY,
      MAX_DROP
    }

    /** Whether a stage with this test accuracy meets it, given the reference's. */
    public boolean met(double accuracy, double referenceAccuracy) {
      return switch (kind) {
        case MAX_ERROR -> 1 - accuracy <= value + 1e-12;
        case MIN_ACCURACY -> accuracy >= value - 1e-12;
        case MAX_DROP -> referenceAccuracy - accuracy <= value + 1e-12;
      };
    }

    /** The target in words, e.g. {@code test error <= 1.50%}. */
    public String describe() {
      return switch (kind) {
        case MAX_ERROR -> String.format(java.util.Locale.ROOT, "test error <= %.2f%%", 100 * value);
        case MIN_ACCURACY ->
            String.format(java.util.Locale.ROOT, "test accuracy >= %.2f%%", 100 * value);
        case MAX_DROP ->
            String.format(
                java.util.Locale.ROOT, "within %.1f point(s) of the float network", 100 * value);
      };
    }
  }
}
