package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jcnn.backend.Backends;
import jcnn.backend.cuda.Cuda;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device}: every command that runs a network takes it; {@code cuda} without a GPU fails
 * with one line and exit 1, a bad value is a usage error, and the CPU path never loads JCuda.
 */
class DeviceOptionTest {
  @AfterEach
  void restoreCpu() {
    Backends.use(Backends.cpu(2));
  }

  @Test
  void everyNetworkCommandTakesDevice() {
    for (String cmd :
        new String[] {"train", "eval", "compress", "reproduce", "demo", "selfcheck"}) {
      Cli.Run r = Cli.run(cmd, "--help");
      assertTrue(r.out().contains("--device"), cmd + " --help lacks --device:\n" + r.out());
    }
    Cli.Run r = Cli.run("bench", "sgemm", "--help");
    assertTrue(r.out().contains("--device"), r.out());
  }

  @Test
  void cudaWithoutGpuIsOneClearLine() {
    Cuda.Info info = Cuda.probe();
    assumeFalse(info.available() && info.ptx(), "a usable GPU is present");
    Cli.Run r = Cli.run("selfcheck", "--device", "cuda");
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertEquals(1, r.errLines().size(), r.err());
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("jcnn: error: --device cuda"), line);
    assertFalse(line.contains("Exception"), line);
  }

  @Test
  void badDeviceIsAUsageError() {
    Cli.Run r = Cli.run("selfcheck", "--device", "tpu");
    assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("--device must be cpu, cuda or cuda:N"), r.err());
  }

  /** A CPU training run in a fresh JVM, with class loading logged: no jcuda class appears. */
  @Test
  void cpuPathNeverLoadsJcuda(@TempDir Path dir) throws IOException, InterruptedException {
    Path log = dir.resolve("classes.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules=jdk.incubator.vector");
    cmd.add("-Xlog:class+load=info:file=" + log);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("jcnn.cli.Main");
    cmd.addAll(
        List.of(
            "train",
            "--model",
            "lenet300",
            "--epochs",
            "1",
            "--limit",
            "256",
            "--val",
            "256",
            "--quiet",
            "--out",
            dir.resolve("run").toString(),
            "--data-dir",
            Path.of("datasets").toAbsolutePath().toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "training subprocess did not finish");
    assertEquals(0, p.exitValue(), out);
    List<String> loaded = Files.readAllLines(log);
    assertTrue(loaded.stream().anyMatch(l -> l.contains("jcnn.backend.cpu.CpuBackend")), "no log");
    assertTrue(
        loaded.stream().noneMatch(l -> l.contains("jcuda.") || l.contains("jcnn.backend.cuda.")),
        "the CPU path loaded CUDA classes");
  }
}
