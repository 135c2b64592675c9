package jcnn.compress.prune;

import jcnn.nn.Module;

/**
 * The training loop, lent to the pruning schedules (it lives in {@code jcnn.train}, above this
 * package): train {@code model} for {@code epochs} epochs on the training split. The masks are
 * installed as transforms, so ordinary training is masked retraining. An optimizer built inside
 * each call needs nothing more; one kept across calls must have its state passed through {@link
 * Pruning#maskOptimizerState} after each prune so old momentum cannot move pruned weights.
 */
@FunctionalInterface
public interface Retrainer {
  void retrain(Module model, int epochs);
}
