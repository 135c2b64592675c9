package jcnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CUDA kernel sources and their PTX: each {@code src/main/cuda/*.cu} lists in its top comment
 * exactly the kernels it defines, every name follows STYLE.md's {@code <op>_<pass>_v<N>_<idea>},
 * and (where nvcc exists, so Maven built the PTX in generate-resources) each kernel is an {@code
 * .entry} of {@code /jcnn/cuda/<file>.ptx} on the classpath, where the CUDA backend loads it.
 */
class PtxBuildTest {

  @Test
  void topCommentsListExactlyTheDefinedKernels() throws IOException {
    List<Path> files = CudaSources.cuFiles();
    assertFalse(files.isEmpty(), "no .cu files in " + CudaSources.CUDA_DIR.toAbsolutePath());
    for (Path cu : files) {
      Set<String> listed = CudaSources.listedKernels(cu);
      Set<String> defined = CudaSources.definedKernels(cu);
      assertFalse(defined.isEmpty(), cu + " defines no extern \"C\" __global__ kernel");
      assertEquals(
          sorted(defined),
          sorted(listed),
          cu + ": kernels defined (expected) vs listed in the top comment (actual)");
      for (String k : defined) {
        assertTrue(
            CudaSources.KERNEL_NAME.matcher(k).matches(),
            cu + ": kernel " + k + " is not named <op>_<pass>_v<N>_<idea>");
      }
    }
  }

  @Test
  void everyKernelIsAnEntryOfItsPtxOnTheClasspath() throws IOException {
    Assumptions.assumeTrue(
        CudaSources.onPath("nvcc"),
        "nvcc is not on PATH, so the build made no PTX (src/main/cuda/build-ptx.sh); skipped");
    for (Path cu : CudaSources.cuFiles()) {
      String resource = "/jcnn/cuda/" + CudaSources.stem(cu) + ".ptx";
      String ptx;
      try (InputStream in = PtxBuildTest.class.getResourceAsStream(resource)) {
        assertNotNull(in, resource + " is not on the classpath: did generate-resources run?");
        ptx = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      for (String k : CudaSources.definedKernels(cu)) {
        assertTrue(ptx.contains(".entry " + k + "("), resource + " has no .entry " + k);
      }
    }
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }
}
