package jcnn.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jcnn repository root, where files that are not in the jar live (the peer benchmark scripts).
 * The launcher passes it as {@code -Djcnn.home}; without it (IDE, tests) it is found from where the
 * classes were loaded ({@code target/classes} or {@code target/jcnn.jar}), else the working
 * directory.
 */
final class Home {
  private Home() {}

  static Path root() {
    String prop = System.getProperty("jcnn.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    Path fromClasses = fromCodeSource();
    return fromClasses != null ? fromClasses : Path.of("").toAbsolutePath();
  }

  private static Path fromCodeSource() {
    try {
      Path loc = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // target/classes or target/jcnn.jar -> the directory holding target/
      Path target = loc.getParent();
      Path root = target == null ? null : target.getParent();
      return root != null && Files.isRegularFile(root.resolve("pom.xml")) ? root : null;
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // No usable code source (unusual class loaders): fall back to the working directory.
      return null;
    }
  }
}
