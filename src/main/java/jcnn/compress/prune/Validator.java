package jcnn.compress.prune;

import jcnn.nn.Module;

/**
 * Accuracy of {@code model} on a validation split, in [0, 1]: what the pruning schedules select on.
 * Never the test split (REFERENCE.md: the Tzelepis loop "done right"), so that the test accuracy
 * reported afterwards is not chosen by it. It should put the model in eval mode itself.
 */
@FunctionalInterface
public interface Validator {
  double accuracy(Module model);
}
