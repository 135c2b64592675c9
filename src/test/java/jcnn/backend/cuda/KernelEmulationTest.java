package jcnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jcnn.backend.cpu.DropoutHash;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs every CUDA kernel on the CPU: builds {@code src/test/cuda/emu} (the .cu files compiled
 * unchanged by g++ with the CUDA emulation header {@code cuda_emu.h}, under AddressSanitizer and
 * UBSan) into {@code target/emu} and runs its {@code kernels_test}, which compares each kernel on
 * odd and real layer shapes with double-precision references and prints one PASS/FAIL line per
 * kernel. Needs g++ and make, not a GPU; skipped where they are missing.
 *
 * <p>The dropout kernel must reproduce {@link DropoutHash} bit for bit, so this test writes a table
 * of masks computed by the Java class itself for the harness to compare against.
 */
class KernelEmulationTest {
  private static final Path OUT = Path.of("target", "emu");

  @Test
  void everyKernelMatchesItsReferenceOnTheCpu() throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        CudaSources.onPath("g++") && CudaSources.onPath("make"),
        "g++ or make is not on PATH: the CUDA kernel emulation cannot be built; skipped");
    Files.createDirectories(OUT);
    Path table = OUT.resolve("dropout_java.txt").toAbsolutePath();
    Files.writeString(table, dropoutTable(), StandardCharsets.UTF_8);

    CudaSources.Run build =
        CudaSources.run(
            List.of("make", "-C", "src/test/cuda/emu", "OUT=" + OUT.toAbsolutePath(), "-j2", "all"),
            600);
    assertEquals(0, build.exitCode(), "building the kernel emulation failed:\n" + build.output());

    CudaSources.Run run =
        CudaSources.run(
            List.of(OUT.resolve("kernels_test").toAbsolutePath().toString(), table.toString()),
            600);
    System.out.println(run.output());
    assertEquals(0, run.exitCode(), "kernel emulation failed:\n" + run.output());
    assertTrue(
        run.output().contains("from the Java table"),
        "the dropout kernel was not compared with the Java DropoutHash:\n" + run.output());
    for (Path cu : CudaSources.cuFiles()) {
      for (String k : CudaSources.definedKernels(cu)) {
        if (!CudaSources.GPU_ONLY.contains(k)) {
          assertTrue(
              run.output().contains("PASS " + k + " ("),
              "no PASS line for kernel " + k + " of " + cu + ":\n" + run.output());
        }
      }
    }
  }

  /**
   * Dropout masks from {@link DropoutHash}: one line per (seed, p), as {@code seed pBits scaleBits
   * n keepFlags}. The seeds include negative and extreme longs (Java's signed arithmetic must match
   * CUDA's unsigned), and one p equals an element's uniform draw exactly, so {@code >=} versus
   * {@code >} shows.
   */
  static String dropoutTable() {
    int n = 1000;
    long[] seeds = {0L, 42L, -1234567890123456789L, Long.MIN_VALUE, Long.MAX_VALUE};
    StringBuilder sb = new StringBuilder();
    for (long seed : seeds) {
      List<Float> ps = new ArrayList<>(List.of(0.0f, 0.1f, 0.5f, 0.9f));
      ps.add((float) DropoutHash.uniform(seed, 5)); // exact: 24 bits fit a float
      for (float p : ps) {
        sb.append(seed)
            .append(' ')
            .append(Integer.toUnsignedString(Float.floatToRawIntBits(p)))
            .append(' ')
            .append(Integer.toUnsignedString(Float.floatToRawIntBits(DropoutHash.scale(p))))
            .append(' ')
            .append(n)
            .append(' ');
        for (int i = 0; i < n; i++) {
          sb.append(DropoutHash.keep(seed, i, p) ? '1' : '0');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
