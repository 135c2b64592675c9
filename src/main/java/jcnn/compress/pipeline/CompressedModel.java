package jcnn.compress.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jcnn.compress.codec.JczModel;
import jcnn.compress.codec.JczReader;
import jcnn.compress.codec.JczTensor;
import jcnn.compress.codec.SparseLayer;
import jcnn.compress.exec.ExecMode;
import jcnn.compress.exec.ExecPlan;
import jcnn.compress.prune.Pruning;
import jcnn.compress.quant.BinaryWeight;
import jcnn.compress.quant.QuantSpec;
import jcnn.compress.quant.Quantization;
import jcnn.compress.quant.QuantizedWeight;
import jcnn.compress.quant.TtqWeight;
import jcnn.compress.quant.WeightMode;
import jcnn.compress.share.SharedWeight;
import jcnn.compress.share.WeightSharing;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;
import jcnn.train.ModelData;

/**
 * A compressed network as a {@code .jcz} file and back: {@link #toJcz} turns a pruned (baked) and
 * possibly weight-shared model into a {@link JczModel}, {@link #load} reads a file into a fresh,
 * plain network rebuilt by name ({@link Models#create}), ready for inference.
 *
 * <p>What goes in the file, per entry of the plain model's state dict: a shared weight as its codes
 * and the centroids they use ({@link #coded}; raw where coding cannot pay, as for a 10-value bias);
 * an unshared tensor that has zeros (a pruned weight of a run without quantization) as codes into
 * its own distinct non-zero values, which is exact, when there are at most 65,535 of them; every
 * other tensor (batch-norm parameters and statistics, unpruned biases) as raw float32. The sharing
 * buffers ({@code weight_codes}, {@code weight_codebook}) are not written: the codes and codebook
 * are the coded tensor. Decoding gives exactly codebook[code], so the decoded weights equal {@link
 * #effectiveValues} of the in-memory model bit for bit, which {@link #mismatches} checks. Tested in
 * {@code CompressedModelTest}.
 */
public final class CompressedModel {
  private static final byte[] MAGIC = {'J', 'C', 'Z', '1'};

  /**
   * A network decoded from a file, with the file's metadata string (JSON by convention) and the
   * dataset it belongs to (its {@code dataset} field; see {@link ModelData}).
   */
  public record Loaded(
      Module model,
      String name,
      int classes,
      String metadata,
      ModelData data,
      List<ExecPlan.Layer> layers) {
    /** The bytes the model holds for inference (see {@link ExecPlan#modelBytes}). */
    public long bytes() {
      return ExecPlan.modelBytes(model);
    }

    /** The bytes the same network holds with every weight as float32. */
    public long denseBytes() {
      long saved = 0;
      for (ExecPlan.Layer l : layers) {
        saved += l.denseBytes() - l.bytes();
      }
      return bytes() + saved;
    }
  }

  private CompressedModel() {}

  /** True when {@code file} starts with the {@code .jcz} magic; false for anything else. */
  public static boolean isJcz(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
  }

  /**
   * The tensors the layers compute with, by state-dict name of the plain model: for a shared weight
   * codebook[code] (0 where pruned), for everything else the stored value. The model must have no
   * pruning masks left (bake them first).
   */
  public static LinkedHashMap<String, float[]> effectiveValues(Module model) {
    if (!Pruning.masks(model).isEmpty()) {
      throw new IllegalArgumentException(
          "CompressedModel: the model still has pruning masks "
              + Pruning.masks(model).keySet()
              + "; bake them first");
    }
    Map<String, SharedWeight> shared = WeightSharing.shared(model);
    Map<String, QuantizedWeight> quantized = Quantization.quantized(model);
    Set<String> skip = sharingBuffers(shared);
    skip.addAll(quantizationBuffers(quantized));
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    model
        .stateDict()
        .forEach(
            (key, t) -> {
              if (!skip.contains(key)) {
                SharedWeight sw = shared.get(key);
                QuantizedWeight q = quantized.get(key);
                Tensor v = sw != null ? sw.materialize() : q != null ? q.materialize() : t;
                out.put(key, v.data().clone());
              }
            });
    return out;
  }

  /**
   * The model name a file records: the float network, with the binary activations if it has them
   * ({@code lenet5+ttq} -> {@code lenet5}, {@code bnn-mlp+binary+binact} -> {@code
   * bnn-mlp+binact}). The file's weights are the levels the quantized layers compute with, so the
   * plain network computes what the quantized one did; the sections say which layers are low-bit.
   */
  public static String fileName(String modelName) {
    QuantSpec q = Models.quantization(modelName);
    return Models.floatName(modelName)
        + new QuantSpec(WeightMode.FLOAT, true, q.binaryActivations()).suffix();
  }

  /** The file contents for {@code model} (see the class comment). */
  public static JczModel toJcz(Module model, String name, int classes, String metadata) {
    Map<String, SharedWeight> shared = WeightSharing.shared(model);
    Map<String, QuantizedWeight> quantized = Quantization.quantized(model);
    Map<String, JczTensor> tensors = new LinkedHashMap<>();
    Map<String, Tensor> state = model.stateDict();
    effectiveValues(model)
        .forEach(
            (key, values) -> {
              Shape shape = state.get(key).shape();
              SharedWeight sw = shared.get(key);
              QuantizedWeight q = quantized.get(key);
              tensors.put(
                  key,
                  sw != null
                      ? coded(sw.codes(), sw.centroids(), shape)
                      : q != null ? lowBit(q, values, shape) : exact(values, shape));
            });
    return new JczModel(fileName(name), classes, metadata, tensors);
  }

  /**
   * A binary weight as its signs and scales (one per output channel when scaled, else the single
   * scale 1), a ternary one as its codes and two levels; both decode to exactly {@code values}, the
   * weight the layer computes with. A row whose scale is 0 (all its latent weights 0) cannot be a
   * BINARY section: such a tensor is stored exactly, as any other.
   */
  static JczTensor lowBit(QuantizedWeight q, float[] values, Shape shape) {
    if (q instanceof BinaryWeight b) {
      int rows = shape.dim(0);
      int n = values.length / rows;
      float[] scales = new float[b.scaled() ? rows : 1];
      for (int r = 0; r < scales.length; r++) {
        scales[r] = Math.abs(values[r * n]);
        if (scales[r] == 0f) {
          return exact(values, shape);
        }
      }
      return new JczTensor.Binary(scales, JczTensor.Binary.pack(values), shape);
    }
    if (q instanceof TtqWeight t) { // its trained levels, whatever their signs became
      return JczTensor.Ternary.of(values, t.positive(), t.negative(), shape);
    }
    float alpha = 0f; // TWN: the one scale, +-alpha
    for (float v : values) {
      alpha = Math.max(alpha, Math.abs(v));
    }
    // all zeros: the level is unused, and the format wants a non-zero one
    float p = alpha != 0f ? alpha : 1f;
    float n = p;
    return JczTensor.Ternary.of(values, p, n, shape);
  }

  /**
   * A shared tensor without its unused centroids (k-means leaves a cluster empty when k is above
   * the number of distinct weights, e.g. 256 clusters for a 320-weight conv layer): the codes are
   * renumbered in centroid order, so every weight decodes to the same float. {@link
   * JczTensor#compact} then keeps the smaller of coded and raw.
   */
  static JczTensor coded(int[] codes, float[] codebook, Shape shape) {
    int[] newIndex = new int[codebook.length];
    for (int c : codes) {
      if (c >= 0) {
        newIndex[c] = 1;
      }
    }
    int used = 0;
    for (int j = 0; j < codebook.length; j++) {
      newIndex[j] = newIndex[j] == 1 ? used++ : -1;
    }
    float[] book = new float[Math.max(1, used)];
    for (int j = 0; j < codebook.length; j++) {
      if (newIndex[j] >= 0) {
        book[newIndex[j]] = codebook[j];
      }
    }
    int[] out = new int[codes.length];
    for (int i = 0; i < codes.length; i++) {
      out[i] = codes[i] < 0 ? SparseLayer.PRUNED : newIndex[codes[i]];
    }
    return JczTensor.compact(out, book, shape);
  }

  /**
   * Values stored exactly: codes into the distinct non-zero values when the tensor has zeros and
   * few enough distinct values, else raw float32; {@link JczTensor#compact} keeps the smaller.
   */
  static JczTensor exact(float[] values, Shape shape) {
    TreeSet<Integer> bits = new TreeSet<>();
    boolean hasZero = false;
    for (float v : values) {
      if (v == 0f && Float.floatToRawIntBits(v) == 0) {
        hasZero = true;
      } else {
        bits.add(Float.floatToRawIntBits(v));
        if (bits.size() > SparseLayer.MAX_CLUSTERS) {
          return new JczTensor.Raw(values, shape);
        }
      }
    }
    if (!hasZero) {
      return new JczTensor.Raw(values, shape);
    }
    Map<Integer, Integer> index = new LinkedHashMap<>();
    float[] codebook = new float[bits.size()];
    for (int b : bits) {
      codebook[index.size()] = Float.intBitsToFloat(b);
      index.put(b, index.size());
    }
    int[] codes = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      int b = Float.floatToRawIntBits(values[i]);
      codes[i] = b == 0 ? SparseLayer.PRUNED : index.get(b);
    }
    return JczTensor.compact(codes, codebook, shape);
  }

  /** Reads {@code file} and rebuilds its network with the decoded values. */
  public static Loaded load(Path file) throws IOException {
    return load(file, ExecMode.DENSE);
  }

  /**
   * Reads {@code file} and runs it as {@code mode} says: dense float32 weights ({@link
   * ExecMode#DENSE}), or each conv and linear layer in the compressed form {@link ExecPlan} picks.
   */
  public static Loaded load(Path file, ExecMode mode) throws IOException {
    JczModel jm = JczReader.read(file);
    Module model;
    try {
      model = Models.create(jm.name(), jm.classes(), 0);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    Map<String, Tensor> state = new LinkedHashMap<>();
    jm.tensors().forEach((k, t) -> state.put(k, Tensor.of(t.decode(), t.shape().dims())));
    try {
      model.loadStateDict(state);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": does not fit " + jm.name() + ": " + e.getMessage(), e);
    }
    ModelData data;
    try {
      data = ModelData.of(jm.name(), jm.classes(), datasetIn(jm.metadata()));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": metadata: " + e.getMessage(), e);
    }
    List<ExecPlan.Layer> layers;
    try {
      layers = ExecPlan.apply(model, jm, mode);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    return new Loaded(model, jm.name(), jm.classes(), jm.metadata(), data, layers);
  }

  /** The {@code dataset} field of a metadata string, or null when it is not JSON or has none. */
  static String datasetIn(String metadata) {
    try {
      JsonElement meta = JsonParser.parseString(metadata);
      if (meta.isJsonObject() && meta.getAsJsonObject().has("dataset")) {
        return meta.getAsJsonObject().get("dataset").getAsString();
      }
    } catch (RuntimeException e) {
      // metadata is free text by the format's rules: then it names no dataset
    }
    return null;
  }

  /**
   * The names whose values differ between {@code a} and {@code b} bit for bit (float bit patterns,
   * so -0.0 differs from 0.0), plus names present in only one; empty when they are identical.
   */
  public static List<String> mismatches(Map<String, float[]> a, Map<String, float[]> b) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, float[]> e : a.entrySet()) {
      float[] other = b.get(e.getKey());
      if (other == null) {
        out.add(e.getKey() + " (missing)");
      } else if (!sameBits(e.getValue(), other)) {
        out.add(e.getKey());
      }
    }
    for (String k : b.keySet()) {
      if (!a.containsKey(k)) {
        out.add(k + " (unexpected)");
      }
    }
    return out;
  }

  /** The plain state dict of a model as float arrays (copies). */
  public static LinkedHashMap<String, float[]> values(Module model) {
    LinkedHashMap<String, float[]> out = new LinkedHashMap<>();
    model.stateDict().forEach((k, t) -> out.put(k, t.data().clone()));
    return out;
  }

  private static boolean sameBits(float[] x, float[] y) {
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
        return false;
      }
    }
    return true;
  }

  /** The state-dict keys of the quantization buffers (stochastic draws, TTQ's scales). */
  private static Set<String> quantizationBuffers(Map<String, QuantizedWeight> quantized) {
    Set<String> out = new HashSet<>();
    quantized.forEach(
        (path, q) -> {
          String prefix = path.substring(0, path.length() - q.name().length());
          q.buffers().forEach(b -> out.add(prefix + b));
        });
    return out;
  }

  /** The state-dict keys of the sharing buffers ({@code <path>_codes}, {@code <path>_codebook}). */
  private static Set<String> sharingBuffers(Map<String, SharedWeight> shared) {
    Set<String> out = new HashSet<>();
    shared.forEach(
        (path, sw) -> {
          String prefix = path.substring(0, path.length() - sw.name().length());
          out.add(prefix + SharedWeight.codesBuffer(sw.name()));
          out.add(prefix + SharedWeight.codebookBuffer(sw.name()));
        });
    return out;
  }
}
