package jcnn.backend.cuda;

import jcnn.backend.DeviceException;

/**
 * A CUDA failure a user can act on: no driver, no device, no PTX in this build, a failed launch
 * (the message names the kernel), or device memory exhausted.
 */
public final class CudaException extends DeviceException {
  private static final long serialVersionUID = 1L;

  public CudaException(String message) {
    super(message);
  }

  public CudaException(String message, Throwable cause) {
    super(message, cause);
  }
}
