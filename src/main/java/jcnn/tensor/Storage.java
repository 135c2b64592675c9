package jcnn.tensor;

/**
 * The values behind a tensor and all its views: a host array and, when a device backend has used
 * the tensor, a copy in device memory.
 *
 * <p>The host array is allocated on first host access; until then the values are all zero, so a
 * tensor that only ever lives on a GPU costs no Java heap. The two copies follow a small coherence
 * protocol, so code written for the CPU runs unchanged on a GPU and a whole training step stays on
 * the device:
 *
 * <pre>
 *   host access ({@link #floats}, {@link #ints})    device copy downloaded first if it is newer;
 *                                                  afterwards the device copy is stale (the caller
 *                                                  may write)
 *   read-only host access ({@link #floatsForRead}) downloaded if newer; the device copy stays valid
 *   backend reads on the device                    uploads the host values when the device copy is
 *                                                  stale, then calls {@link #deviceSynced}
 *   backend writes on the device                   {@link #deviceWrote}: the host copy is stale
 * </pre>
 *
 * With no device attached (the CPU backends), host access is one null check. The first host access
 * allocates under a lock, so a CPU backend's worker threads may touch a fresh tensor together; the
 * device protocol itself is used by one thread at a time.
 */
public final class Storage {

  /** What a device backend attaches to a storage it holds a copy of. */
  public interface DeviceCopy {
    /** Copies the device values into {@code host} (a float[] or int[] of the storage's length). */
    void download(Object host);
  }

  private final int length;
  private final boolean isInt;
  // Allocated under a lock: worker threads of a CPU backend may touch a fresh tensor's host array
  // at the same time and must all get the same array. A thread that reads null takes the lock and
  // re-reads; one that reads the array is safe without it (an array's length and default values
  // are visible to every thread, JLS 17.4.4). Not volatile, so hot loops calling data() stay fast.
  private float[] floats;
  private int[] ints;
  private DeviceCopy device;
  private boolean hostValid = true;
  private boolean deviceValid;

  private Storage(int length, boolean isInt, float[] floats, int[] ints) {
    if (length < 0) {
      throw new IllegalArgumentException("storage length must be >= 0, got " + length);
    }
    this.length = length;
    this.isInt = isInt;
    this.floats = floats;
    this.ints = ints;
  }

  /** Zero-filled float storage; the host array is allocated on first use. */
  public static Storage ofFloats(int length) {
    return new Storage(length, false, null, null);
  }

  /** Float storage over {@code values} (not copied). */
  public static Storage wrap(float[] values) {
    return new Storage(values.length, false, values, null);
  }

  /** Zero-filled int storage; the host array is allocated on first use. */
  public static Storage ofInts(int length) {
    return new Storage(length, true, null, null);
  }

  /** Int storage over {@code values} (not copied). */
  public static Storage wrap(int[] values) {
    return new Storage(values.length, true, null, values);
  }

  public int length() {
    return length;
  }

  public boolean isInt() {
    return isInt;
  }

  /** The host floats for reading and writing; a device copy becomes stale. */
  public float[] floats() {
    float[] f = floatsForRead();
    if (deviceValid) {
      deviceValid = false; // written only when set: CPU workers share this line read-only
    }
    return f;
  }

  /** The host floats for reading only; a device copy stays valid. Do not write into them. */
  public float[] floatsForRead() {
    if (isInt) {
      throw new IllegalStateException("int storage read as floats");
    }
    float[] f = floats;
    if (f == null) {
      f = allocateFloats();
    }
    if (!hostValid) {
      pullIfStale(f);
    }
    return f;
  }

  /** The host ints for reading and writing; a device copy becomes stale. */
  public int[] ints() {
    int[] i = intsForRead();
    if (deviceValid) {
      deviceValid = false;
    }
    return i;
  }

  /** The host ints for reading only; a device copy stays valid. Do not write into them. */
  public int[] intsForRead() {
    if (!isInt) {
      throw new IllegalStateException("float storage read as ints");
    }
    int[] i = ints;
    if (i == null) {
      i = allocateInts();
    }
    if (!hostValid) {
      pullIfStale(i);
    }
    return i;
  }

  private synchronized float[] allocateFloats() {
    if (floats == null) {
      floats = new float[length];
    }
    return floats;
  }

  private synchronized int[] allocateInts() {
    if (ints == null) {
      ints = new int[length];
    }
    return ints;
  }

  private void pullIfStale(Object host) {
    if (!hostValid) {
      device.download(host);
      hostValid = true;
    }
  }

  /**
   * Sets every value to zero. With a device copy attached, the host array is dropped instead of
   * written (the values are all zero again, as after {@link #ofFloats}), so the device copy is
   * cleared by a memset rather than an upload: zeroing gradients each step costs no transfer.
   */
  public void zero() {
    if (device == null) {
      if (isInt) {
        java.util.Arrays.fill(ints(), 0);
      } else {
        java.util.Arrays.fill(floats(), 0f);
      }
      return;
    }
    floats = null;
    ints = null;
    hostValid = true;
    deviceValid = false;
  }

  // ------------------------------------------------------------------ for device backends

  /** The attached device copy, or null. */
  public DeviceCopy device() {
    return device;
  }

  /** Attaches a device copy whose contents are not yet valid. */
  public void attach(DeviceCopy copy) {
    if (device != null) {
      throw new IllegalStateException("storage already has a device copy");
    }
    device = copy;
    deviceValid = false;
  }

  /** Whether the device copy holds the current values. */
  public boolean deviceValid() {
    return device != null && deviceValid;
  }

  /**
   * The host array to upload (without downloading or invalidating anything), or null when the host
   * array was never allocated, meaning the values are all zero.
   */
  public Object hostForUpload() {
    if (!hostValid) {
      throw new IllegalStateException("host copy is stale; nothing to upload");
    }
    return isInt ? ints : floats;
  }

  /** The device copy now equals the host copy (after an upload). */
  public void deviceSynced() {
    deviceValid = true;
  }

  /** The device wrote new values: the device copy is current, the host copy stale. */
  public void deviceWrote() {
    if (device == null) {
      throw new IllegalStateException("no device copy attached");
    }
    deviceValid = true;
    hostValid = false;
  }
}
