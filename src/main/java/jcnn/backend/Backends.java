package jcnn.backend;

import jcnn.backend.cpu.CpuBackend;
import jcnn.backend.cpu.ReferenceBackend;

/**
 * Which backend the autograd ops use. The default is the fast multi-threaded {@link CpuBackend}
 * with one thread per available processor. Nothing here loads JCuda: a CUDA backend is looked up by
 * class name only when asked for.
 */
public final class Backends {
  private static volatile Backend current;

  private Backends() {}

  public static Backend current() {
    Backend b = current;
    if (b == null) {
      synchronized (Backends.class) {
        if (current == null) {
          current = new CpuBackend(Runtime.getRuntime().availableProcessors());
        }
        b = current;
      }
    }
    return b;
  }

  /** Makes {@code backend} the one new ops run on; returns the previous one. */
  public static Backend use(Backend backend) {
    Backend prev = current();
    current = backend;
    return prev;
  }

  /** The single-threaded double-accumulating oracle. */
  public static Backend reference() {
    return new ReferenceBackend();
  }

  /** The fast CPU backend with {@code threads} worker threads. */
  public static Backend cpu(int threads) {
    return new CpuBackend(threads);
  }

  /**
   * The backend named by a {@code --device} value: {@code cpu} (with {@code threads}), {@code cuda}
   * or {@code cuda:N} (GPU N). The CUDA backend is created by reflection, so the CPU path never
   * loads its classes or JCuda; without a usable GPU it fails with one sentence saying why.
   */
  public static Backend forDevice(String device, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
    }
    if (device.equals("cpu")) {
      return cpu(threads);
    }
    if (!device.equals("cuda") && !device.matches("cuda:\\d{1,3}")) {
      throw new IllegalArgumentException(
          "--device must be cpu, cuda or cuda:N (N a GPU number), got '" + device + "'");
    }
    int index = device.equals("cuda") ? 0 : Integer.parseInt(device.substring(5));
    try {
      return (Backend)
          Class.forName("jcnn.backend.cuda.CudaBackend")
              .getConstructor(int.class)
              .newInstance(index);
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new DeviceException("--device " + device + ": " + cause, cause);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new DeviceException(
          "--device " + device + ": the CUDA backend could not be loaded: " + e, e);
    }
  }
}
