package jcnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version lines of {@code jcnn --version}: jcnn's own version and the Java runtime, which
 * matters as much for a Vector API program. The version is the one Maven writes into the jar
 * ({@code META-INF/maven/.../pom.properties}), so the pom stays its single source.
 */
final class VersionInfo implements IVersionProvider {
  private static final String POM_PROPERTIES = "/META-INF/maven/io.jcnn/jcnn/pom.properties";

  /** jcnn's version, or "development build" when run from classes outside the jar. */
  static String jcnnVersion() {
    try (InputStream in = Main.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "development build");
      }
    } catch (IOException e) {
      // An unreadable entry in our own jar: report the version as unknown rather than fail.
    }
    return "development build";
  }

  static String javaVersion() {
    return System.getProperty("java.version")
        + " ("
        + System.getProperty("java.vm.name")
        + ", "
        + System.getProperty("java.vendor")
        + ")";
  }

  @Override
  public String[] getVersion() {
    return new String[] {"jcnn " + jcnnVersion(), "Java " + javaVersion()};
  }
}
