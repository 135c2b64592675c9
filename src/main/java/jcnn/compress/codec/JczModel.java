package jcnn.compress.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a {@code .jcz} file: the model's name (e.g. "lenet5"), its class count, a
 * metadata string (UTF-8 JSON by convention: the compression recipe, seeds, accuracy; stored as is,
 * not parsed here) and the tensors by name in file order. Written by {@link JczWriter}, read by
 * {@link JczReader}. Tested in {@code JczFileTest}.
 */
public record JczModel(String name, int classes, String metadata, Map<String, JczTensor> tensors) {
  public JczModel {
    if (name == null || metadata == null || classes < 0) {
      throw new IllegalArgumentException(
          "JczModel: name and metadata must be set and classes >= 0 (classes " + classes + ")");
    }
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** The values of tensor {@code tensorName} (see {@link JczTensor#decode}). */
  public float[] decode(String tensorName) {
    JczTensor t = tensors.get(tensorName);
    if (t == null) {
      throw new IllegalArgumentException(
          "JczModel.decode: no tensor '" + tensorName + "' in " + tensors.keySet());
    }
    return t.decode();
  }

  /** Every tensor's values, in file order. */
  public Map<String, float[]> decodeAll() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, JczTensor> e : tensors.entrySet()) {
      out.put(e.getKey(), e.getValue().decode());
    }
    return out;
  }
}
