package jcnn.backend;

/**
 * A device problem the user can act on (no GPU or driver, a build without kernels, device memory
 * exhausted, a kernel that failed): the CLI prints its message as one line, with no stack trace.
 */
public class DeviceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceException(String message) {
    super(message);
  }

  public DeviceException(String message, Throwable cause) {
    super(message, cause);
  }
}
