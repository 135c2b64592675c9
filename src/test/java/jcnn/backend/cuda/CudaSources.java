package jcnn.backend.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the kernel lists out of {@code src/main/cuda/*.cu} for the tests: the kernels each file's
 * top comment lists (STYLE.md: the versions listed at the top of each file) and the kernels it
 * actually defines ({@code extern "C" __global__}), plus small process helpers. Test-only; no
 * JCuda.
 */
final class CudaSources {
  /** Where the kernel sources live, relative to the Maven project directory. */
  static final Path CUDA_DIR = Path.of("src", "main", "cuda");

  /** Kernels that only a GPU can run (tensor-core intrinsics), hidden from the CPU emulation. */
  static final Set<String> GPU_ONLY = Set.of("sgemm_v4_tf32_wmma");

  /** A kernel name as STYLE.md spells it: {@code <op>_<pass>_v<N>[_<idea>]}, lower case. */
  static final Pattern KERNEL_NAME =
      Pattern.compile("[a-z][a-z0-9]*(?:_[a-z0-9]+)*_v\\d+(?:_[a-z0-9]+)*");

  /** A line of the top comment whose first word is a kernel name: {@code // sgemm_v1_naive ...}. */
  private static final Pattern LISTED =
      Pattern.compile("^//\\s+(" + KERNEL_NAME.pattern() + ")\\b");

  private static final Pattern DEFINED =
      Pattern.compile(
          "extern\\s+\"C\"\\s+__global__\\s+void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s+)?(\\w+)\\s*\\(");

  private CudaSources() {}

  /** The .cu files, sorted by name. */
  static List<Path> cuFiles() throws IOException {
    try (Stream<Path> files = Files.list(CUDA_DIR)) {
      return files.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
    }
  }

  /** The file's name without {@code .cu}: its PTX is {@code /jcnn/cuda/<stem>.ptx}. */
  static String stem(Path cu) {
    String name = cu.getFileName().toString();
    return name.substring(0, name.length() - ".cu".length());
  }

  /** The kernels named at the start of lines of the file's top comment, in order. */
  static Set<String> listedKernels(Path cu) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    for (String line : Files.readAllLines(cu, StandardCharsets.UTF_8)) {
      if (!line.startsWith("//")) {
        break; // the top comment ends at the first line that is not a comment
      }
      Matcher m = LISTED.matcher(line);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** The kernels the file defines with {@code extern "C" __global__}, in order. */
  static Set<String> definedKernels(Path cu) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = DEFINED.matcher(Files.readString(cu, StandardCharsets.UTF_8));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Whether {@code program} is an executable file in a directory of PATH. */
  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** The result of a finished (or timed-out) command: exit code and its merged output. */
  record Run(int exitCode, String output) {}

  /** Runs a command in the project directory, merging stderr into stdout; -1 on timeout. */
  static Run run(List<String> command, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    // Read on another thread so a chatty process never blocks on a full pipe.
    StringBuilder out = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                out.append("(reading the output failed: ").append(e).append(')');
              }
            });
    reader.start();
    boolean done = p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    reader.join(10_000);
    return new Run(done ? p.exitValue() : -1, out.toString());
  }
}
