package jcnn.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
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
    String file = NativeLibs.install(dir).get(0).getFileName().toString();
    long whole = resource(dir.resolve(file)).length;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 10; round++) {
        Path d = Files.createDirectory(dir.resolve("round" + round));
        Path target = d.resolve(file);
        AtomicBoolean writing = new AtomicBoolean(true);
        // a watcher, as a second process starting meanwhile: the file is absent or whole
        Future<Long> partial =
            pool.submit(
                () -> {
                  while (writing.get()) {
                    try {
                      long size = Files.size(target);
                      if (size != whole) {
                        return size;
                      }
                    } catch (NoSuchFileException notYet) {
                      // absent is fine
                    }
                  }
                  return -1L;
                });
        List<Future<List<Path>>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          runs.add(pool.submit(() -> NativeLibs.install(d)));
        }
        for (Future<List<Path>> f : runs) {
          f.get();
        }
        writing.set(false);
        assertEquals(-1L, partial.get(), "a reader saw " + target + " part-written");
        assertArrayEquals(resource(target), Files.readAllBytes(target));
        try (Stream<Path> s = Files.list(d)) {
          assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".part")).toList());
        }
      }
    } finally {
      pool.shutdown();
    }
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
