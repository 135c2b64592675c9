package jcnn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import jcnn.compress.pipeline.CompactCifar;
import jcnn.compress.pipeline.CompressOptions;
import jcnn.compress.pipeline.CompressionPipeline;
import jcnn.compress.pipeline.CompressionResult;
import jcnn.models.Models;
import jcnn.nn.Summary;
import jcnn.nn.io.AtomicWrite;
import jcnn.report.CompressionSummary;
import jcnn.tensor.Shape;
import jcnn.train.RunResult;
import jcnn.train.TrainConfig;
import jcnn.train.Trainer;

/**
 * {@code jcnn reproduce compact-cifar}: for each network of {@link CompactCifar#ENTRIES} (or those
 * of {@code --models}), train it into {@code OUT/NAME/train}, compress it into {@code OUT/NAME},
 * and keep its row in {@code OUT/NAME/row.json}; then write the table of every row under {@code
 * OUT} to {@code OUT/table.md} and {@code OUT/table.json}. With {@code --resume} an interrupted
 * training continues from its checkpoint, and a network whose row was made with the same settings
 * from the same trained file is not compressed again, so the thirty hours can be spread over many
 * sessions. Tested in {@code CompactCifarRunTest}.
 */
final class CompactCifarRun {
  static final String ROW = "row.json";
  static final String TABLE_MD = "table.md";
  static final String TABLE_JSON = "table.json";

  private final ReproduceCommand cmd;

  CompactCifarRun(ReproduceCommand cmd) {
    this.cmd = cmd;
  }

  int call() throws IOException {
    List<CompactCifar.Entry> chosen = chosen();
    Path dir = cmd.out != null ? cmd.out : Path.of("runs", "reproduce", CompactCifar.NAME);
    CompressOptions opts = options();
    cmd.dev.install();
    PrintWriter w = cmd.spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "%s: %d network(s) -> %s; each compressed: %s%n",
        CompactCifar.NAME,
        chosen.size(),
        dir,
        describe());
    w.flush();
    for (CompactCifar.Entry e : chosen) {
      runOne(e, opts, dir, w);
    }
    List<CompactCifar.Row> rows = collect(dir);
    String md = CompactCifar.markdown(rows);
    AtomicWrite.write(dir.resolve(TABLE_MD), md.getBytes(StandardCharsets.UTF_8));
    JsonObject json = CompactCifar.json(rows);
    AtomicWrite.write(dir.resolve(TABLE_JSON), json.toString().getBytes(StandardCharsets.UTF_8));
    w.println();
    w.print(md);
    ReproduceCommand.printChecks(w, CompactCifar.checks(rows));
    w.printf(Locale.ROOT, "table: %s%n", dir.resolve(TABLE_MD));
    w.flush();
    if (cmd.run.json) {
      Json.print(w, json);
    }
    return 0;
  }

  /** The entries of --models in table order (each checked), or all of them. */
  private List<CompactCifar.Entry> chosen() {
    if (cmd.models == null || cmd.models.isEmpty()) {
      return CompactCifar.ENTRIES;
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (String m : cmd.models) {
      names.add(CompactCifar.entry(m.strip()).model());
    }
    return CompactCifar.ENTRIES.stream().filter(e -> names.contains(e.model())).toList();
  }

  private CompressOptions options() {
    CompressOptions o = CompactCifar.compression().dataDir(cmd.run.dataDir).trainLimit(cmd.limit);
    if (cmd.retrainEpochs != null) {
      o.retrainEpochs(cmd.retrainEpochs).finetuneEpochs(cmd.retrainEpochs);
    }
    return o.validate();
  }

  private String describe() {
    return String.format(
        Locale.ROOT,
        "global pruning to %.0f%%, %d retraining epoch(s), %d clusters%s",
        100 * CompactCifar.PRUNE,
        cmd.retrainEpochs != null ? cmd.retrainEpochs : CompactCifar.RETRAIN,
        CompactCifar.CLUSTERS,
        cmd.limit > 0 ? ", training on " + cmd.limit + " images (smoke run)" : "");
  }

  /** Trains (or resumes) and compresses one network, writing its row; reuses a matching row. */
  private void runOne(CompactCifar.Entry e, CompressOptions opts, Path dir, PrintWriter w)
      throws IOException {
    Path netDir = dir.resolve(e.model());
    int epochs = cmd.epochs != null ? cmd.epochs : e.train().epochs();
    TrainConfig cfg =
        e.train()
            .config(epochs, cmd.limit, cmd.dev.threads, cmd.run.dataDir, netDir.resolve("train"));
    w.printf(
        Locale.ROOT,
        "%n== %s (%s): %s%n",
        e.model(),
        e.road().label,
        ReproduceCommand.describe(cfg));
    w.flush();
    RunResult trained = new Trainer(cfg, new ProgressListener(w, !cmd.run.quiet)).run(cmd.resume);
    TrainCommand.printSummary(w, trained);
    Path best = netDir.resolve("train").resolve("best.safetensors");
    String key = key(opts, cfg, best);
    Path rowFile = netDir.resolve(ROW);
    if (cmd.resume && Files.isRegularFile(rowFile)) {
      JsonObject old = JsonParser.parseString(Files.readString(rowFile)).getAsJsonObject();
      if (old.has("key") && old.get("key").getAsString().equals(key)) {
        w.printf(
            Locale.ROOT,
            "%s: compressed before with these settings (%s), kept%n",
            e.model(),
            rowFile);
        return;
      }
    }
    CompressionResult c =
        new CompressionPipeline(opts, CompressCommand.listener(w, cmd.run.quiet)).run(best, netDir);
    CompressCommand.printSummary(w, c.summary());
    CompactCifar.Row row = row(e, epochs, best, c);
    JsonObject o = row.toJson();
    o.addProperty("key", key);
    AtomicWrite.write(rowFile, o.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static CompactCifar.Row row(
      CompactCifar.Entry e, int epochs, Path best, CompressionResult c) throws IOException {
    CompressionSummary s = c.summary();
    Models.Spec spec = Models.spec(e.model());
    Summary sum =
        Summary.of(
            Models.create(e.model(), 10, 0),
            Shape.of(spec.channels(), spec.height(), spec.width()));
    return new CompactCifar.Row(
        e.model(),
        e.road(),
        s.params(),
        sum.macs(),
        epochs,
        Files.size(best),
        s.accuracy().initial().test(),
        Files.size(c.jczFile()),
        s.accuracy().fromFile().test(),
        s.pruning().fraction());
  }

  /** What a row depends on: the settings and the trained file it was made from. */
  private String key(CompressOptions opts, TrainConfig cfg, Path best) throws IOException {
    return String.format(
        Locale.ROOT,
        "epochs=%d limit=%d prune=%.4f retrain=%s model=%d@%d",
        cfg.epochs(),
        cmd.limit,
        CompactCifar.PRUNE,
        cmd.retrainEpochs == null ? "default" : cmd.retrainEpochs.toString(),
        Files.size(best),
        Files.getLastModifiedTime(best).toMillis());
  }

  /** The rows of every network under dir, in table order (also those of earlier invocations). */
  static List<CompactCifar.Row> collect(Path dir) throws IOException {
    List<CompactCifar.Row> rows = new ArrayList<>();
    for (CompactCifar.Entry e : CompactCifar.ENTRIES) {
      Path f = dir.resolve(e.model()).resolve(ROW);
      if (Files.isRegularFile(f)) {
        try {
          rows.add(
              CompactCifar.Row.fromJson(
                  JsonParser.parseString(Files.readString(f)).getAsJsonObject()));
        } catch (RuntimeException ex) {
          throw new IOException(f + ": not a compact-cifar row (" + ex.getMessage() + ")", ex);
        }
      }
    }
    return rows;
  }
}
