package jcnn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.nn.io.SafeTensors;
import jcnn.tensor.Tensor;

/**
 * A trained model on disk: a safetensors file (so PyTorch users can open it) whose tensors are the
 * module's state dict and whose metadata names the model, its class count and the training config.
 *
 * <pre>
 * __metadata__: {"jcnn.format": "jcnn-model", "jcnn.version": "1", "jcnn.model": "lenet5",
 *                "jcnn.classes": "10", "jcnn.config": "{...}"}
 * tensors:      "0.weight" [20, 1, 5, 5], "0.bias" [20], ...
 * </pre>
 */
public final class ModelFile {
  public static final String FORMAT = "jcnn-model";

  /**
   * A loaded model with the metadata it was saved with and the dataset it belongs to (from the
   * training config in the metadata; see {@link ModelData}).
   */
  public record Loaded(
      Module model, String name, int classes, Map<String, String> metadata, ModelData data) {
    /** The training config the file was saved with, or null for a file without one. */
    public TrainConfig config() {
      String json = metadata.get("jcnn.config");
      return json == null ? null : TrainConfig.fromJson(json);
    }
  }

  private ModelFile() {}

  public static void save(Path file, Module model, String name, int classes, String configJson)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("jcnn.format", FORMAT);
    meta.put("jcnn.version", "1");
    meta.put("jcnn.model", name);
    meta.put("jcnn.classes", Integer.toString(classes));
    if (configJson != null) {
      meta.put("jcnn.config", configJson);
    }
    SafeTensors.write(file, model.stateDict(), meta);
  }

  /** Reads a model file, rebuilding the named network and checking every tensor name and shape. */
  public static Loaded load(Path file) throws IOException {
    SafeTensors.Contents c = SafeTensors.read(file);
    Map<String, String> meta = c.metadata();
    if (!FORMAT.equals(meta.get("jcnn.format"))) {
      throw new IOException(
          file
              + ": not a jcnn model file (metadata jcnn.format is "
              + meta.get("jcnn.format")
              + ")");
    }
    String name = meta.get("jcnn.model");
    int classes;
    Module model;
    try {
      classes = Integer.parseInt(meta.getOrDefault("jcnn.classes", "10"));
      model = Models.create(name, classes, 0);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    load(file, model, c.tensors());
    ModelData data;
    try {
      String json = meta.get("jcnn.config");
      data =
          ModelData.of(name, classes, json == null ? null : TrainConfig.fromJson(json).dataset());
    } catch (RuntimeException e) { // malformed JSON, or a dataset name jcnn does not know
      throw new IOException(file + ": metadata jcnn.config: " + e.getMessage(), e);
    }
    return new Loaded(model, name, classes, meta, data);
  }

  /**
   * Copies {@code tensors} into {@code model}; a wrong name or shape is an error naming the file.
   */
  static void load(Path file, Module model, Map<String, Tensor> tensors) throws IOException {
    try {
      model.loadStateDict(tensors);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
