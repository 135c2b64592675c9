package jcnn.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcnn.compress.codec.Encoding;
import jcnn.compress.codec.SizeReport;
import jcnn.compress.prune.Curve;
import jcnn.compress.prune.IterativePruning;

/**
 * The text of report.md for a {@link CompressionSummary}: the run's settings, Tzelepis et al. 2019
 * Tables II and III for our run with the published row beside it, Eq. 2 against the measured file
 * component by component, Deep Compression's per-layer storage table, the pruning curve and the
 * weight histograms. Written by {@link ReportWriter}; tested in {@code ReportWriterTest}.
 */
final class ReportText {
  static final String JPEG_NOTE =
      "our CIFAR-10 copy is decoded from JPEG (quality 75); accuracies on it run slightly below"
          + " published CIFAR-10 figures";

  private final CompressionSummary s;
  private final String data; // the dataset label used beside every accuracy

  ReportText(CompressionSummary s) {
    this.s = s;
    this.data = s.jpegDataset() ? "CIFAR-10, JPEG-decoded copy" : s.dataset();
  }

  String markdown(String curveFile, List<String> histogramFiles) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Compression report: ").append(s.model()).append(" on ").append(data);
    sb.append("\n\n").append(headline()).append("\n\n");
    if (s.jpegDataset()) {
      sb.append("Every CIFAR number below: ").append(JPEG_NOTE).append(".\n\n");
    }
    sb.append("## Settings\n\n").append(settings()).append('\n');
    sb.append("## Accuracy (Tzelepis et al. 2019, Table II)\n\n").append(accuracyTable());
    sb.append('\n').append(accuracyNote()).append("\n\n");
    sb.append("## Memory (Tzelepis et al. 2019, Table III)\n\n").append(memoryTable());
    sb.append('\n').append(memoryNote()).append("\n\n");
    sb.append("## Eq. 2 against the bytes on disk\n\n").append(eq2Table()).append('\n');
    sb.append(eq2Note()).append("\n\n");
    sb.append("## Per layer (Deep Compression's storage table)\n\n").append(layerTable());
    sb.append('\n').append(layerNote()).append("\n\n");
    sb.append("## Pruning curve\n\n");
    if (curveFile != null) {
      sb.append("![pruning curve](").append(curveFile).append(")\n\n");
      sb.append(curveTable()).append('\n');
    }
    sb.append(s.curveNote()).append("\n\n");
    if (!s.rounds().isEmpty()) {
      sb.append("### Rounds of the iterative loop\n\n").append(roundsTable()).append('\n');
    }
    if (!histogramFiles.isEmpty()) {
      sb.append("## Weight histograms (after Tzelepis et al. 2019, Fig. 2)\n\n");
      sb.append("Per layer: before pruning, after pruning and retraining, after clustering and");
      sb.append(" centroid fine-tuning (centroids marked on the axis). Zeros are left out of the");
      sb.append(" last two panels; their count is in each panel's title.\n\n");
      for (String f : histogramFiles) {
        sb.append("![").append(f).append("](").append(f).append(")\n\n");
      }
    }
    return sb.toString();
  }

  private String headline() {
    CompressionSummary.Accuracies a = s.accuracy();
    return String.format(
        Locale.ROOT,
        "%s pruned (of the conv and linear weights); test accuracy %s -> %s pruned -> %s pruned"
            + " and quantized (%s); the .jcz file is %s bytes, %s smaller than the %s bytes of"
            + " float32 parameters (Eq. 2 predicts %s bytes, %s). The model decoded from the file"
            + " scores %s on test, and its weights %s the in-memory compressed model bit for bit.",
        Md.pct(s.pruning().fraction()),
        Md.acc(a.initial().test()),
        Md.acc(a.pruned().test()),
        Md.acc(a.quantized().test()),
        data,
        Md.bytes(s.sizes().file()),
        Md.rate(s.sizes().fileRate()),
        Md.bytes(s.sizes().dense()),
        Md.bytes(s.sizes().eq2()),
        Md.rate(s.sizes().eq2Rate()),
        Md.acc(a.fromFile().test()),
        s.bitIdentical() ? "equal" : "DO NOT equal");
  }

  private String settings() {
    List<List<String>> rows = new ArrayList<>();
    s.settings().forEach((k, v) -> rows.add(List.of(k, v)));
    rows.add(List.of("wall time", Md.num(s.seconds(), 1) + " s"));
    return Md.table(List.of("setting", "value"), rows);
  }

  private String accuracyTable() {
    CompressionSummary.Accuracies a = s.accuracy();
    List<List<String>> rows = new ArrayList<>();
    String pruned = Md.pct(s.pruning().fraction());
    rows.add(
        List.of(
            "ours, test (" + data + ")",
            Md.acc(a.initial().test()),
            Md.acc(a.pruned().test()),
            Md.acc(a.quantized().test()),
            Md.acc(a.fromFile().test()),
            pruned));
    rows.add(
        List.of(
            "ours, validation (" + data + ")",
            Md.acc(a.initial().val()),
            Md.acc(a.pruned().val()),
            Md.acc(a.quantized().val()),
            Md.acc(a.fromFile().val()),
            pruned));
    Published p = s.published();
    if (p != null) {
      rows.add(
          List.of(
              "published: " + p.source(),
              Md.acc(p.initial()),
              Md.acc(p.pruned()),
              Md.acc(p.quantized()),
              "-",
              Md.num(p.prunedPercent(), 2) + "%"));
    }
    return Md.table(
        List.of(
            "",
            "initial",
            "pruned",
            "pruned & quantized",
            "decoded from .jcz",
            "percentage pruned"),
        rows);
  }

  private String accuracyNote() {
    String note =
        "Selection (the pruning loop's stopping rule, the best retraining epoch) used the"
            + " validation split, carved from the training set as in training; the test set was"
            + " only measured. Percentage pruned counts the conv and linear weights; biases and"
            + " batch-norm parameters are not pruned.";
    Published p = s.published();
    if (p != null) {
      note += " Published row: " + p.setting() + ".";
      if (s.jpegDataset()) {
        note +=
            " The published CIFAR-10 figures are on the original images; ours: " + JPEG_NOTE + ".";
      }
    }
    return note;
  }

  private String memoryTable() {
    CompressionSummary.Sizes z = s.sizes();
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "ours",
            Md.bytes(z.dense()),
            Md.bytes(z.pruned()),
            Md.bytes(z.prunedCsr()),
            Md.bytes(z.eq2()),
            Md.rate(z.eq2Rate()),
            Md.bytes(z.file()),
            Md.rate(z.fileRate())));
    Published p = s.published();
    if (p != null) {
      boolean eq2 = p.sizeNote().startsWith("by Eq. 2");
      rows.add(
          List.of(
              "published (" + p.sizeNote() + ")",
              Md.bytes(p.bytesDense()),
              Md.bytes(p.bytesPruned()),
              "-",
              eq2 ? Md.bytes(p.bytesCompressed()) : "-",
              eq2 ? Md.rate(p.rate()) : "-",
              eq2 ? "-" : Md.bytes(p.bytesCompressed()),
              eq2 ? "-" : Md.rate(p.rate())));
    }
    return Md.table(
        List.of(
            "",
            "dense (bytes)",
            "pruned",
            "pruned, CSR",
            "pruned & quantized, Eq. 2",
            "rate, Eq. 2",
            ".jcz on disk",
            "rate, on disk"),
        rows);
  }

  private String memoryNote() {
    return String.format(
        Locale.ROOT,
        "Definitions. Dense: 4 bytes per parameter (%,d parameters). Pruned: 4 bytes per non-zero"
            + " parameter (%,d), Tzelepis' Table III column, which charges nothing for where the"
            + " non-zeros are. Pruned, CSR: per conv or linear weight 4 bytes of value and 4 of"
            + " column index per non-zero plus a 4-byte pointer per row, other parameters dense."
            + " Eq. 2: r = n b / (n log2 k + k b) per coded tensor (n its non-zeros, b = 32, k its"
            + " clusters), i.e. (n log2 k + 32 k) / 8 bytes, plus 4 bytes per value of tensors"
            + " stored raw. On disk: the measured size of the .jcz file, which also holds"
            + " buffers that are not parameters (batch-norm running statistics) where the model"
            + " has them.",
        s.params(),
        s.pruning().nonZeroParams());
  }

  private String eq2Table() {
    long codeBits = 0;
    long indexBits = 0;
    long codebookBits = 0;
    long valueBits = 0;
    long otherBits = 0;
    double eq2Ids = 0;
    double eq2Books = 0;
    double eq2Raw = 0;
    for (SizeReport.TensorSize t : s.file().tensors()) {
      codeBits += t.codeBits();
      indexBits += t.indexBits();
      codebookBits += t.codebookBits();
      valueBits += t.valueBits();
      otherBits += t.overheadBits();
      if (t.encoding() == Encoding.RAW_F32 || t.k() == 0) {
        eq2Raw += 4.0 * t.numel();
      } else {
        eq2Ids += t.nonZeros() * (Math.log(t.k()) / Math.log(2)) / 8;
        eq2Books += 4.0 * t.k();
      }
    }
    long hdr = s.file().headerBytes() + s.file().trailerBytes();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("cluster ids", Md.bytes(eq2Ids), Md.bytes(codeBits / 8.0)));
    rows.add(List.of("positions (relative indices)", "0", Md.bytes(indexBits / 8.0)));
    rows.add(
        List.of("codebooks (float32 centroids)", Md.bytes(eq2Books), Md.bytes(codebookBits / 8.0)));
    rows.add(List.of("tensors stored raw (float32)", Md.bytes(eq2Raw), Md.bytes(valueBits / 8.0)));
    rows.add(
        List.of("Huffman tables, section headers, CRCs, padding", "0", Md.bytes(otherBits / 8.0)));
    rows.add(List.of("file header (name, metadata JSON) and trailer", "0", Md.bytes(hdr)));
    rows.add(List.of("total", Md.bytes(s.sizes().eq2()), Md.bytes(s.sizes().file())));
    return Md.table(List.of("component", "Eq. 2 (bytes)", ".jcz file (bytes)"), rows);
  }

  private String eq2Note() {
    return "Eq. 2 charges log2 k bits per kept weight and 32 bits per centroid, and nothing else:"
        + " no term for where the kept weights of a pruned layer are, no code tables, no headers."
        + " The file must say where each non-zero is (Deep Compression's relative indices,"
        + " Huffman-coded), which costs roughly the entropy of the mask per non-zero, and it"
        + " carries tables, CRCs and the metadata. In the other direction, Huffman coding takes"
        + " the cluster ids below log2 k bits when clusters are used unevenly. The measured size"
        + " is the honest one; Eq. 2 is shown because it is what the published Table III reports.";
  }

  private String layerTable() {
    List<List<String>> rows = new ArrayList<>();
    for (SizeReport.TensorSize t : s.file().tensors()) {
      double nz = Math.max(1, t.nonZeros());
      boolean raw = t.encoding() == Encoding.RAW_F32;
      String form = t.encoding() == Encoding.SPARSE ? "SPARSE/" + t.gapBits() : t.encoding().name();
      rows.add(
          List.of(
              t.name(),
              String.format(Locale.ROOT, "%,d", t.numel()),
              Md.pct((double) t.nonZeros() / Math.max(1, t.numel())),
              raw ? "-" : Integer.toString(t.k()),
              form,
              raw ? "32 (raw)" : Md.num(t.codeBits() / nz, 2),
              raw ? "-" : Md.num(t.indexBits() / nz, 2),
              Long.toString(t.codebookBits()),
              Long.toString(t.overheadBits()),
              String.format(Locale.ROOT, "%,d", t.sectionBytes()),
              Md.bytes(t.eq2Bytes()),
              Md.rate(t.measuredRate())));
    }
    return Md.table(
        List.of(
            "tensor",
            "values",
            "non-zero",
            "k",
            "form",
            "bits / id",
            "bits / index",
            "codebook bits",
            "other bits",
            "bytes",
            "Eq. 2 bytes",
            "rate"),
        rows);
  }

  private String layerNote() {
    return "k is the number of centroids stored: the ones in use (k-means leaves a cluster empty"
        + " when a layer has fewer distinct weights than clusters, and an empty one is not"
        + " stored). Bits per id and per index are per non-zero weight. Forms: SPARSE/g is Deep"
        + " Compression's relative-index storage with g-bit gaps (longer gaps use filler zeros),"
        + " both streams Huffman-coded; DENSE is every weight's id Huffman-coded; FIXED is"
        + " fixed-width ids without tables; RAW_F32 is plain float32. The writer keeps the smallest"
        + " form per tensor (docs/jcz-format.md). Other bits: code tables, section header, CRC,"
        + " padding. Rate: the tensor as dense float32 over its bytes.";
  }

  private String roundsTable() {
    List<List<String>> rows = new ArrayList<>();
    for (IterativePruning.Round r : s.rounds()) {
      rows.add(
          List.of(
              Integer.toString(r.index()),
              Md.pct(r.target()),
              Md.pct(r.sparsity()),
              Md.acc(r.accuracy()),
              r.accepted() ? "yes" : "no: rolled back"));
    }
    return Md.table(
        List.of("round", "target", "pruned", "val accuracy after retraining", "within max drop"),
        rows);
  }

  private String curveTable() {
    List<Curve> curves = s.curves();
    if (curves.isEmpty()) {
      return "";
    }
    List<String> header = new ArrayList<>(List.of("target fraction"));
    for (Curve c : curves) {
      header.add(Charts.label(c.name()) + ": pruned");
      header.add("val accuracy");
    }
    List<List<String>> rows = new ArrayList<>();
    double[] f = curves.get(0).fractions();
    for (int i = 0; i < f.length; i++) {
      List<String> r = new ArrayList<>(List.of(Md.pct(f[i])));
      for (Curve c : curves) {
        r.add(Md.pct(c.sparsity()[i]));
        r.add(Md.acc(c.accuracy()[i]));
      }
      rows.add(r);
    }
    return Md.table(header, rows);
  }
}
