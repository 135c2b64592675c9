package jcnn.compress.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.train.ModelData;
import jcnn.train.ModelFile;
import jcnn.train.TrainConfig;

/**
 * The data of a compression run: the training split for retraining, the validation split for every
 * selection, the test set for measuring only. The validation split is carved from the training set
 * exactly as training carved it ({@code Dataset.split(valCount, seed)} with the values of the
 * {@link TrainConfig} stored in the model file's metadata), so no image that selected the trained
 * model is retrained on, and nothing is ever selected on test. A file without a config gets the
 * {@code train} command's defaults (5,000 images, seed 1), which the note says. Tested in {@code
 * CompressionPipelineTest}.
 *
 * @param augment whether training used random crops and flips (retraining does the same)
 * @param weightDecay training's weight decay (retraining uses the same unless told otherwise)
 * @param note how the split was found, for the report
 */
record PipelineData(
    String dataset,
    Dataset train,
    Dataset val,
    Dataset test,
    int classes,
    int valCount,
    long splitSeed,
    boolean augment,
    double weightDecay,
    String note) {

  static final int DEFAULT_VAL = 5000;
  static final long DEFAULT_SEED = 1;
  static final double DEFAULT_WEIGHT_DECAY = 5e-4;

  /**
   * The data for model file {@code m}: its own dataset ({@link ModelData}) unless {@code
   * datasetOrNull} asks for another that fits it; a warning about the choice goes to {@code warn}.
   */
  static PipelineData load(
      ModelFile.Loaded m, String datasetOrNull, Path dataDir, int trainLimit, Consumer<String> warn)
      throws IOException {
    TrainConfig cfg = m.config();
    String ds = m.data().choose(datasetOrNull, warn);
    if (datasetOrNull == null && m.data().note() != null) {
      warn.accept(m.data().note());
    }
    int valCount = cfg != null && cfg.valCount() > 0 ? cfg.valCount() : DEFAULT_VAL;
    long seed = cfg != null ? cfg.seed() : DEFAULT_SEED;
    String note =
        cfg == null
            ? "the model file has no training config: validation is "
                + valCount
                + " training images carved with seed "
                + seed
                + " (the train command's defaults)"
            : cfg.valCount() > 0
                ? "validation: the "
                    + valCount
                    + " training images that training held out (seed "
                    + seed
                    + ")"
                : "training used no validation split: validation is "
                    + valCount
                    + " training images carved with seed "
                    + seed
                    + ", which the model was trained on (selection is optimistic)";
    Dataset full = Datasets.load(ds, true, dataDir);
    Dataset test = Datasets.load(ds, false, dataDir);
    Dataset.Split split = full.split(valCount, seed);
    Dataset train = split.train();
    if (trainLimit > 0 && trainLimit < train.size()) {
      train = train.subset(IntStream.range(0, trainLimit).toArray());
    }
    boolean augment = cfg != null ? cfg.augment() : ds.equals("cifar10");
    double wd = cfg != null ? cfg.weightDecay() : DEFAULT_WEIGHT_DECAY;
    return new PipelineData(
        ds, train, split.validation(), test, full.numClasses(), valCount, seed, augment, wd, note);
  }
}
