package jcnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --data-dir}, {@code --quiet} and {@code --json}, shared by the commands that train or
 * compress (a picocli mixin, beside {@link DeviceOptions}).
 */
final class RunOptions {
  @Option(
      names = "--data-dir",
      description =
          "Folder holding mnist/, fashion-mnist/, cifar10/ (default: $JCNN_DATA, then the shipped"
              + " ./datasets).")
  Path dataDir;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(names = "--json", description = "Print one JSON object as the last line of stdout.")
  boolean json;
}
