package jcnn.backend.cuda;

import java.lang.ref.Cleaner;
import jcnn.tensor.Storage;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The device copy of one {@link Storage}: a block from the {@link DevicePool}, returned to the pool
 * when the storage becomes unreachable. Downloads go through the context so that a kernel failure
 * surfacing there names the kernel.
 */
final class DeviceBuffer implements Storage.DeviceCopy {
  private static final Cleaner CLEANER = Cleaner.create();

  final CUdeviceptr ptr;
  final long bytes;
  private final CudaContext cx;

  private DeviceBuffer(CudaContext cx, CUdeviceptr ptr, long bytes) {
    this.cx = cx;
    this.ptr = ptr;
    this.bytes = bytes;
  }

  /** Attaches a fresh (not yet valid) device copy to {@code s}. */
  static DeviceBuffer attach(CudaContext cx, Storage s) {
    long bytes = 4L * s.length();
    long rounded = DevicePool.round(bytes);
    DevicePool pool = cx.pool();
    cx.makeCurrent(); // cuMemAlloc needs the context on this thread
    CUdeviceptr p = pool.allocate(rounded);
    DeviceBuffer b = new DeviceBuffer(cx, p, bytes);
    s.attach(b);
    // The action must not reach the storage, or it would never become unreachable.
    CLEANER.register(s, () -> pool.release(p, rounded));
    return b;
  }

  @Override
  public void download(Object host) {
    if (bytes == 0) {
      return;
    }
    Pointer h = host instanceof int[] ints ? Pointer.to(ints) : Pointer.to((float[]) host);
    cx.copyToHost(h, ptr, bytes);
  }
}
