package jcnn.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A caching device-memory allocator. Sizes round up to 512 bytes (and to powers of two above 1 MiB,
 * so a training step's changing shapes reuse blocks); a released block goes to a free list of its
 * size and is handed out again without a driver call. cuMemAlloc synchronises the device, so
 * avoiding it keeps kernels queued back to back.
 *
 * <p>Tensors release their memory when the Java garbage collector finds their storage unreachable
 * (a {@link java.lang.ref.Cleaner} calls {@link #release}). Tensors that live only on the device
 * cost the Java heap almost nothing, so the collector would rarely run by itself: when the bytes in
 * use pass {@code gcThreshold}, the pool asks for a collection and waits briefly for the cleaner.
 * All device work runs on one stream, so reusing a released block can never race a kernel still
 * reading it: the kernel that reuses it is queued behind.
 */
final class DevicePool {
  private static final long SMALL = 1 << 20;

  private final Map<Long, ArrayDeque<CUdeviceptr>> free = new HashMap<>();
  private final long gcThreshold;
  private long inUse;
  private long cached;
  private long allocatedFromDriver;

  DevicePool(long gcThreshold) {
    this.gcThreshold = gcThreshold;
  }

  static long round(long bytes) {
    if (bytes <= SMALL) {
      return Math.max(512, (bytes + 511) & ~511L);
    }
    return Long.highestOneBit(bytes - 1) << 1;
  }

  /**
   * A block of size class {@code rounded} (from {@link #round}), which {@link #release} takes back.
   */
  CUdeviceptr allocate(long rounded) {
    CUdeviceptr p = takeCached(rounded);
    if (p != null) {
      return p;
    }
    if (inUse() + rounded > gcThreshold) {
      collectGarbage();
      p = takeCached(rounded);
      if (p != null) {
        return p;
      }
    }
    return fromDriver(rounded);
  }

  private synchronized CUdeviceptr takeCached(long rounded) {
    ArrayDeque<CUdeviceptr> q = free.get(rounded);
    CUdeviceptr p = q == null ? null : q.poll();
    if (p != null) {
      cached -= rounded;
      inUse += rounded;
    }
    return p;
  }

  private CUdeviceptr fromDriver(long rounded) {
    CUdeviceptr p = new CUdeviceptr();
    try {
      JCudaDriver.cuMemAlloc(p, rounded);
    } catch (jcuda.CudaException e) {
      // Out of memory (or an earlier kernel's failure surfacing): free the cache and retry once.
      collectGarbage();
      emptyCache();
      try {
        JCudaDriver.cuMemAlloc(p, rounded);
      } catch (jcuda.CudaException again) {
        throw new CudaException(
            String.format(
                "device memory: cannot allocate %,d bytes (%s); %,d bytes in use by tensors",
                rounded, again.getMessage(), inUse()),
            again);
      }
    }
    synchronized (this) {
      inUse += rounded;
      allocatedFromDriver += rounded;
    }
    return p;
  }

  /** Returns a block to the cache; any thread (the cleaner's included), no CUDA call. */
  synchronized void release(CUdeviceptr p, long rounded) {
    free.computeIfAbsent(rounded, k -> new ArrayDeque<>()).push(p);
    inUse -= rounded;
    cached += rounded;
  }

  /** Frees every cached block back to the driver (the calling thread has the context current). */
  synchronized void emptyCache() {
    for (Map.Entry<Long, ArrayDeque<CUdeviceptr>> e : free.entrySet()) {
      for (CUdeviceptr p : e.getValue()) {
        JCudaDriver.cuMemFree(p);
        allocatedFromDriver -= e.getKey();
      }
    }
    free.clear();
    cached = 0;
  }

  synchronized long inUse() {
    return inUse;
  }

  synchronized long cachedBytes() {
    return cached;
  }

  synchronized long allocatedFromDriver() {
    return allocatedFromDriver;
  }

  private void collectGarbage() {
    long before = cachedBytes();
    System.gc();
    // The cleaner thread releases blocks shortly after the collection; wait for it a little.
    for (int i = 0; i < 50 && cachedBytes() == before; i++) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
