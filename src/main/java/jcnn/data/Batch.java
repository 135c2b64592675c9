package jcnn.data;

import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/**
 * One mini-batch from a {@link DataLoader}: normalised (and possibly augmented) images {@code x}
 * [B, C, H, W], their labels {@code y} [B], and {@code indices} [B], the positions of the samples
 * in the loader's dataset (for tests, error analysis and per-sample bookkeeping).
 */
public record Batch(Tensor x, IntTensor y, int[] indices) {
  public int size() {
    return indices.length;
  }
}
