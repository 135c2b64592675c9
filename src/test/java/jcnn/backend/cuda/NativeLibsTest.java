package jcnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JCuda's native bindings land whole in the temp folder, however many installers race. */
class NativeLibsTest {
  @TempDir Path dir;

  @Test
  void installsTheDriverBindingWhole() throws Exception {
    List<Path> files = NativeLibs.install(dir);
    assertEquals(NativeLibs.BINDINGS.size(), files.size(), "one file per binding: " + files);
    Path driver = files.get(0);
    assertTrue(driver.getFileName().toString().startsWith("libJCudaDriver-"), driver.toString());
    assertArrayEquals(resource(driver), Files.readAllBytes(driver));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void concurrentInstallersNeverExposeAPartialFile() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Path>>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(pool.submit(() -> NativeLibs.install(dir)));
      }
      for (Future<List<Path>> f : runs) {
        for (Path p : f.get()) {
          assertArrayEquals(resource(p), Files.readAllBytes(p), p.toString());
        }
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(List.of(), leftovers());
  }

  @Test
  void aTruncatedCopyIsReplaced() throws Exception {
    Path driver = NativeLibs.install(dir).get(0);
    byte[] whole = Files.readAllBytes(driver);
    Files.write(driver, java.util.Arrays.copyOf(whole, whole.length / 3));
    NativeLibs.install(dir);
    assertArrayEquals(whole, Files.readAllBytes(driver));
  }

  @Test
  void aMissingResourceIsSkipped() throws IOException {
    assertFalse(NativeLibs.installOne("/lib/libNoSuchBinding.so", dir.resolve("x.so")));
    assertFalse(Files.exists(dir.resolve("x.so")));
  }

  private static byte[] resource(Path file) throws IOException {
    try (InputStream in = NativeLibs.class.getResourceAsStream("/lib/" + file.getFileName())) {
      return in.readAllBytes();
    }
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".part")).toList();
    }
  }
}
