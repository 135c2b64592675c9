package jcnn.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Properties;
import jcuda.LibUtils;

/**
 * Puts JCuda's native bindings where JCuda looks for them, whole. When {@code
 * libJCudaDriver-<version>-<os>-<arch>.so} is missing from {@code java.io.tmpdir}, JCuda copies it
 * there out of its jar, writing the file in place; a second process that starts meanwhile finds the
 * file, maps a half-written library and dies in the dynamic loader (SIGBUS in {@code ld-linux}:
 * seen on an H100 machine when two trainings started at once). Here each library is written under a
 * private temporary name and renamed into place, so another process finds either no file or the
 * whole one; a file of the wrong length (a copy cut short) is replaced the same way.
 */
final class NativeLibs {
  /** The JCuda bindings jcnn loads: the driver API, and cuBLAS where it is there. */
  static final List<String> BINDINGS = List.of("JCudaDriver", "JCublas2");

  private static boolean done;

  private NativeLibs() {}

  /**
   * Installs every binding of this JCuda version into {@code java.io.tmpdir}, once per process,
   * before JCuda's first native call. Never throws: on any failure JCuda's own loading runs as
   * before and {@link Cuda#probe} reports what went wrong.
   */
  static synchronized void install() {
    if (done) {
      return;
    }
    done = true;
    try {
      install(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException | RuntimeException e) {
      // JCuda extracts the libraries itself, as it would without this class.
    }
  }

  /** Installs the bindings into {@code dir}; returns the files it wrote or found complete. */
  static List<Path> install(Path dir) throws IOException {
    String version = jcudaVersion();
    if (version == null) {
      return List.of();
    }
    List<Path> files = new java.util.ArrayList<>();
    for (String base : BINDINGS) {
      String file =
          LibUtils.createLibraryFileName(LibUtils.createPlatformLibraryName(base + "-" + version));
      if (installOne("/lib/" + file, dir.resolve(file))) {
        files.add(dir.resolve(file));
      }
    }
    return files;
  }

  /**
   * Copies classpath resource {@code resource} to {@code target} unless a file of its length is
   * already there: written to a temporary file beside it, then renamed over it atomically. False
   * when the resource is not on the classpath (no natives for this platform).
   */
  static boolean installOne(String resource, Path target) throws IOException {
    byte[] bytes;
    try (InputStream in = NativeLibs.class.getResourceAsStream(resource)) {
      if (in == null) {
        return false;
      }
      bytes = in.readAllBytes();
    }
    if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
      return true;
    }
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
    try {
      Files.write(tmp, bytes);
      try { // createTempFile makes it private; other users must be able to load it, as JCuda's
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the folder's permissions apply
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return true;
  }

  /** The version of the JCuda jar on the classpath, from its Maven properties; null if unknown. */
  static String jcudaVersion() throws IOException {
    try (InputStream in =
        NativeLibs.class.getResourceAsStream("/META-INF/maven/org.jcuda/jcuda/pom.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }
}
