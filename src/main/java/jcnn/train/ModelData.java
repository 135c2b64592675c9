package jcnn.train;

import java.util.Arrays;
import java.util.function.Consumer;
import jcnn.data.DatasetInfo;
import jcnn.data.Datasets;
import jcnn.models.Models;

/**
 * Which dataset a model file belongs to: the one place every command that runs a model file (eval,
 * compress, average, train --init, and the commands to come) asks "on which data, with how many
 * classes and which input normalisation, does this file run?". The answer comes from the file's own
 * metadata (the training config of a {@code .safetensors} model, the {@code dataset} field of a
 * {@code .jcz} file); only a file that carries none falls back to the network's usual dataset
 * ({@link Models.Spec#dataset}), and {@link #note} then says so. The normalisation (per-channel
 * mean and std) follows from the dataset: {@link #info}.
 *
 * <p>{@link #choose} settles an explicit {@code --dataset}: one whose classes or image shape differ
 * from the file's dataset is an error naming both; one that only differs in name (mnist and
 * fashion-mnist: 10 classes of 1x28x28 images) runs, with a warning. Tested in {@code
 * ModelDataTest} and, end to end, {@code EvalDatasetTest}.
 *
 * @param model the network's name
 * @param classes the class count stored in the file
 * @param dataset the dataset the file ran on
 * @param fromFile true when {@code dataset} came from the file's metadata
 */
public record ModelData(String model, int classes, String dataset, boolean fromFile) {

  /**
   * The data of a file holding network {@code model} with {@code classes} classes, whose metadata
   * names {@code datasetOrNull} (null: it names none). An unknown dataset name is an error.
   */
  public static ModelData of(String model, int classes, String datasetOrNull) {
    if (datasetOrNull == null) {
      return new ModelData(model, classes, Models.spec(model).dataset(), false);
    }
    Datasets.info(datasetOrNull); // unknown name: IllegalArgumentException listing the known ones
    return new ModelData(model, classes, datasetOrNull, true);
  }

  /** Class names and normalisation constants of the file's dataset. */
  public DatasetInfo info() {
    return Datasets.info(dataset);
  }

  /** Null when the dataset came from the file; otherwise a line saying it was assumed. */
  public String note() {
    return fromFile
        ? null
        : "the model file names no dataset; assuming "
            + dataset
            + ", the usual dataset of "
            + model;
  }

  /** Where the dataset came from, for JSON output: {@code file} or {@code model-default}. */
  public String source() {
    return fromFile ? "file" : "model-default";
  }

  /**
   * The dataset to run on: the file's when {@code requestedOrNull} is null, else the requested one
   * if it has the file's class count and image shape (a warning to {@code warn} when its name
   * differs from the file's). Otherwise an {@link IllegalArgumentException} naming both datasets.
   */
  public String choose(String requestedOrNull, Consumer<String> warn) {
    if (requestedOrNull == null || requestedOrNull.equals(dataset)) {
      return dataset;
    }
    DatasetInfo want = Datasets.info(requestedOrNull);
    int[] haveShape = Datasets.imageShape(dataset);
    int[] wantShape = Datasets.imageShape(requestedOrNull);
    if (want.numClasses() != classes || !Arrays.equals(haveShape, wantShape)) {
      throw new IllegalArgumentException(
          String.format(
              "--dataset %s does not fit this model file: it holds %s for %s (%d classes, %s"
                  + " images), %s has %d classes of %s images",
              requestedOrNull,
              model,
              dataset,
              classes,
              Datasets.shapeText(haveShape),
              requestedOrNull,
              want.numClasses(),
              Datasets.shapeText(wantShape)));
    }
    warn.accept(
        "the model file "
            + (fromFile ? "was trained on " : "names no dataset; its network's usual one is ")
            + dataset
            + "; using --dataset "
            + requestedOrNull
            + " instead (the same class count and image shape, other images)");
    return requestedOrNull;
  }
}
