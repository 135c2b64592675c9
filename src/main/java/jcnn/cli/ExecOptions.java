package jcnn.cli;

import jcnn.compress.exec.ExecMode;
import picocli.CommandLine.Option;

/**
 * {@code --exec}, shared by {@code eval} and {@code predict}: how a {@code .jcz} model runs (see
 * {@link ExecMode} and {@link jcnn.compress.exec.ExecPlan}).
 */
final class ExecOptions {
  @Option(
      names = "--exec",
      paramLabel = "FORM",
      description =
          "How a .jcz model runs: compressed (default: sparse, codebook and bit-packed layers run"
              + " in those forms), auto (compressed only where that is faster too) or dense"
              + " (decoded to float32).")
  String exec = "compressed";

  ExecMode mode() {
    return ExecMode.parse(exec);
  }
}
