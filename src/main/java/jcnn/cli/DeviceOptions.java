package jcnn.cli;

import jcnn.backend.Backend;
import jcnn.backend.Backends;
import picocli.CommandLine.Option;

/**
 * {@code --device} and {@code --threads}, shared by every command that runs a network (a picocli
 * mixin). {@link #install} makes the chosen backend current; {@code --device cuda} on a machine
 * without a GPU fails with one line saying why, and the CPU stays the default.
 */
final class DeviceOptions {
  @Option(
      names = "--device",
      description =
          "cpu (default), cuda or cuda:N: where the tensors live and the kernels run. cuda needs"
              + " an NVIDIA GPU with its driver and a jcnn built with nvcc on the PATH.")
  String device = "cpu";

  @Option(
      names = "--threads",
      description = "CPU threads (default: ${DEFAULT-VALUE}, all processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  /** Creates the backend and makes it current; returns it. */
  Backend install() {
    Backend b = Backends.forDevice(device, threads);
    Backends.use(b);
    return b;
  }
}
