package jcnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package picture of STYLE.md true: imports between jcnn packages go one way only, down
 * the layers, and only {@code jcnn.backend.cuda} touches JCuda. Scans the {@code package} and
 * {@code import} lines of every main and benchmark source (fully qualified names in code are out of
 * scope). The checker is a pure function of (file name, source text), so the synthetic tests below
 * prove it can fail.
 */
class LayeringTest {
  /**
   * Each package group and its rank; a name belongs to its longest matching prefix. A file may
   * import from its own group or from a group of strictly lower rank.
   */
  static final Map<String, Integer> RANKS =
      Map.ofEntries(
          Map.entry("jcnn.tensor", 0),
          Map.entry("jcnn.backend", 1), // with .cpu and .cuda
          Map.entry("jcnn.autograd", 2), // with .ops
          Map.entry("jcnn.data", 2),
          Map.entry("jcnn.nn", 3), // with .init, .loss
          Map.entry("jcnn.optim", 4),
          Map.entry("jcnn.compress", 4), // with .prune, .share, .quant, .codec
          // a named network is built quantized when its name says so (lenet5+ttq)
          Map.entry("jcnn.models", 5),
          Map.entry("jcnn.train", 6),
          Map.entry("jcnn.report", 6),
          Map.entry("jcnn.compress.pipeline", 7),
          Map.entry("jcnn.bench", 7),
          Map.entry("jcnn.cli", 8));

  static final String CUDA_PACKAGE = "jcnn.backend.cuda";

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;");
  private static final Pattern IMPORT =
      Pattern.compile(
          "^\\s*import\\s+(?:static\\s+)?((?:jcnn|jcuda)\\.[\\w.]*\\w)(?:\\.\\*)?\\s*;");

  /** The group (table key) a package or class name belongs to, or null if none. */
  static String group(String name) {
    String best = null;
    for (String prefix : RANKS.keySet()) {
      boolean matches = name.equals(prefix) || name.startsWith(prefix + ".");
      if (matches && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best;
  }

  /** Every layering violation in one source file, as {@code file: package a imports b}. */
  static List<String> violations(String file, String source) {
    List<String> out = new ArrayList<>();
    String pkg = null;
    List<String> imports = new ArrayList<>();
    for (String line : source.split("\\R")) {
      Matcher p = PACKAGE.matcher(line);
      Matcher i = IMPORT.matcher(line);
      if (pkg == null && p.find()) {
        pkg = p.group(1);
      } else if (i.find()) {
        imports.add(i.group(1));
      }
    }
    if (pkg == null) {
      out.add(file + ": no package declaration");
      return out;
    }
    String from = group(pkg);
    if (pkg.startsWith("jcnn") && from == null) {
      out.add(file + ": package " + pkg + " is not in the layering table");
      return out;
    }
    for (String target : imports) {
      String problem = check(pkg, from, target);
      if (problem != null) {
        out.add(file + ": package " + pkg + " imports " + target + problem);
      }
    }
    return out;
  }

  /** Why {@code pkg} (in group {@code from}) may not import {@code target}, or null if it may. */
  private static String check(String pkg, String from, String target) {
    if (target.startsWith("jcuda.")) {
      boolean cuda = pkg.equals(CUDA_PACKAGE) || pkg.startsWith(CUDA_PACKAGE + ".");
      return cuda ? null : " (only " + CUDA_PACKAGE + " may import jcuda)";
    }
    String to = group(target);
    if (to == null) {
      return " (not in the layering table)";
    }
    if (to.equals(from) || RANKS.get(to) < RANKS.get(from)) {
      return null;
    }
    return String.format(
        " (layer %s rank %d >= %s rank %d)", to, RANKS.get(to), from, RANKS.get(from));
  }

  private static List<Path> sources(Path root) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : new String[] {"src/main/java", "benchmarks/src/main/java"}) {
      Path d = root.resolve(dir);
      if (Files.isDirectory(d)) {
        try (Stream<Path> s = Files.walk(d)) {
          files.addAll(
              s.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList()));
        }
      }
    }
    return files;
  }

  @Test
  void mainAndBenchmarkSourcesFollowTheLayers() throws IOException {
    // Surefire runs in the module's base directory.
    Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    List<Path> files = sources(root);
    assertTrue(
        files.stream().anyMatch(f -> f.endsWith(Path.of("jcnn/tensor/Tensor.java"))),
        "scanned no sources under " + root + " (wrong working directory?)");
    List<String> all = new ArrayList<>();
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      all.addAll(violations(root.relativize(f).toString(), text));
    }
    assertTrue(all.isEmpty(), "layering violations:\n" + String.join("\n", all));
  }

  @Test
  void longestPrefixWins() {
    assertEquals("jcnn.compress.pipeline", group("jcnn.compress.pipeline.DeepCompression"));
    assertEquals("jcnn.compress", group("jcnn.compress.prune.Pruner"));
    assertEquals("jcnn.backend", group("jcnn.backend.cuda.CudaBackend"));
    assertNull(group("jcnn.tensorx.Foo"), "prefixes match whole name segments only");
  }

  @Test
  void reportsAnUpwardImport() {
    String src = "package jcnn.tensor;\n\nimport jcnn.nn.Module;\nimport jcnn.tensor.Shape;\n";
    assertEquals(
        List.of(
            "T.java: package jcnn.tensor imports jcnn.nn.Module (layer jcnn.nn rank 3 >="
                + " jcnn.tensor rank 0)"),
        violations("T.java", src));
  }

  @Test
  void reportsJcudaOutsideTheCudaBackend() {
    String nn = "package jcnn.nn;\nimport jcuda.Pointer;\nimport static jcuda.runtime.JCuda.*;\n";
    List<String> v = violations("L.java", nn);
    assertEquals(2, v.size(), v.toString());
    assertTrue(v.get(0).startsWith("L.java: package jcnn.nn imports jcuda.Pointer"), v.get(0));
    String cuda = "package jcnn.backend.cuda;\nimport jcuda.Pointer;\nimport jcnn.tensor.Tensor;\n";
    assertEquals(List.of(), violations("C.java", cuda));
  }

  @Test
  void sameRankIsAllowedOnlyWithinOneGroup() {
    // optim and compress share rank 4 but are different groups: neither may import the other.
    String optim = "package jcnn.optim;\nimport jcnn.compress.prune.Mask;\n";
    assertEquals(1, violations("O.java", optim).size());
    String prune = "package jcnn.compress.prune;\nimport jcnn.compress.share.Codebook;\n";
    assertEquals(List.of(), violations("P.java", prune));
    // A lower layer may not reach up into a higher subpackage of its own parent.
    String compress = "package jcnn.compress.quant;\nimport jcnn.compress.pipeline.Recipe;\n";
    assertEquals(1, violations("Q.java", compress).size());
  }

  @Test
  void reportsStaticAndWildcardImportsAndUnknownPackages() {
    String src =
        "package jcnn.autograd;\nimport static jcnn.nn.Init.kaiming;\nimport jcnn.train.*;\n"
            + "import jcnn.backend.*;\nimport jcnn.mystery.Thing;\n";
    List<String> v = violations("A.java", src);
    assertEquals(3, v.size(), v.toString());
    assertTrue(v.get(2).contains("jcnn.mystery.Thing (not in the layering table)"), v.get(2));
    assertEquals(
        List.of("X.java: package jcnn.extra is not in the layering table"),
        violations("X.java", "package jcnn.extra;\n"));
  }
}
