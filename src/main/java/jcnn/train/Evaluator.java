package jcnn.train;

import jcnn.autograd.GradMode;
import jcnn.autograd.Variable;
import jcnn.autograd.ops.F;
import jcnn.data.Batch;
import jcnn.data.Batches;
import jcnn.data.DataLoader;
import jcnn.data.Dataset;
import jcnn.nn.Module;
import jcnn.tensor.IntTensor;
import jcnn.tensor.Tensor;

/** Accuracy and mean loss of a model on a dataset, in eval mode and without recording a graph. */
public final class Evaluator {
  /** Top-1 accuracy in [0, 1], mean cross-entropy, and the images seen. */
  public record Result(double accuracy, double loss, int images) {}

  private Evaluator() {}

  public static Result evaluate(Module model, Dataset data, int batch) {
    boolean wasTraining = model.isTraining();
    model.eval();
    DataLoader loader = DataLoader.builder(data).batchSize(batch).shuffle(false).build();
    long correct = 0;
    double lossSum = 0;
    int seen = 0;
    try (var scope = GradMode.noGrad();
        Batches it = loader.epoch(0)) {
      while (it.hasNext()) {
        Batch b = it.next();
        Variable logits = model.forward(Variable.constant(b.x()));
        lossSum += F.softmaxCrossEntropy(logits, b.y()).value().item() * b.size();
        correct += countCorrect(logits.value(), b.y());
        seen += b.size();
      }
    } finally {
      model.train(wasTraining);
    }
    return new Result(
        seen == 0 ? 0 : (double) correct / seen, seen == 0 ? 0 : lossSum / seen, seen);
  }

  /** How many rows of logits [N, classes] have their maximum at the label. */
  public static int countCorrect(Tensor logits, IntTensor labels) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    float[] d = logits.dataForRead();
    int[] y = labels.dataForRead();
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (d[i * k + j] > d[i * k + best]) {
          best = j;
        }
      }
      correct += best == y[i] ? 1 : 0;
    }
    return correct;
  }
}
