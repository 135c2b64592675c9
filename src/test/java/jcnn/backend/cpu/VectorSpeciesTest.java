package jcnn.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every FloatVector in the main code uses the one species SPECIES_PREFERRED. On JDK 17 a second
 * float species anywhere in the JVM (a 256-bit tail in col2im did it) turns the JIT's profile of
 * the shared vector methods bimorphic, and from then on every vector op in Sgemm and the conv
 * kernels allocates: measured, 21 MB of garbage per lenet5 training step and a 1.5x slower fc1
 * GEMM. The JIT effect needs seconds of warm-up to show, so this test reads the sources instead.
 */
class VectorSpeciesTest {
  private static final Pattern OTHER_SPECIES =
      Pattern.compile("FloatVector\\.SPECIES_(64|128|256|512|MAX)|withShape\\(|VectorShape\\.");

  @Test
  void mainCodeUsesOnlyThePreferredFloatSpecies() throws IOException {
    Path root = Path.of("src/main/java");
    assertTrue(Files.isDirectory(root), "run from the project directory: " + root.toAbsolutePath());
    List<String> offences = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (OTHER_SPECIES.matcher(lines.get(i)).find()) {
            offences.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertTrue(
        offences.isEmpty(), "float vector species other than SPECIES_PREFERRED: " + offences);
  }
}
