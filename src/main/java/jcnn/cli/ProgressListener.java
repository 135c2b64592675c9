package jcnn.cli;

import java.io.PrintWriter;
import java.util.Locale;
import jcnn.train.EpochStats;
import jcnn.train.Trainer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training as it goes: a progress bar per epoch on stderr (epoch, batches, running loss and
 * accuracy, images/s and the library's ETA) and one summary line per epoch on stdout.
 */
final class ProgressListener implements Trainer.Listener {
  private final PrintWriter out;
  private final boolean bar;
  private ProgressBar pb;
  private int epochs;

  ProgressListener(PrintWriter out, boolean bar) {
    this.out = out;
    this.bar = bar;
  }

  @Override
  public void epochStart(int epoch, int epochs, int batches, int startBatch) {
    this.epochs = epochs;
    if (bar) {
      pb =
          new ProgressBarBuilder()
              .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
              .setInitialMax(batches)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(System.err, 110))
              .startsFrom(startBatch, java.time.Duration.ZERO)
              .build();
    }
  }

  @Override
  public void step(int batch, double loss, double accuracy, double imagesPerSecond) {
    if (pb != null) {
      pb.stepTo(batch);
      pb.setExtraMessage(
          String.format(
              Locale.ROOT,
              "loss %.4f acc %.2f%% %.0f img/s",
              loss,
              100 * accuracy,
              imagesPerSecond));
    }
  }

  @Override
  public void epochEnd(EpochStats s) {
    if (pb != null) {
      pb.close();
      pb = null;
    }
    out.printf(
        Locale.ROOT,
        "epoch %d/%d  lr %.4g  loss %.4f  train %.2f%%  val %s  %.1f s  %.0f img/s%n",
        s.epoch(),
        epochs,
        s.lr(),
        s.trainLoss(),
        100 * s.trainAccuracy(),
        Double.isNaN(s.valAccuracy())
            ? "-"
            : String.format(Locale.ROOT, "%.2f%%", 100 * s.valAccuracy()),
        s.seconds(),
        s.imagesPerSecond());
    out.flush();
  }
}
