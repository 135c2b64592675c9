package jcnn.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The host/device coherence protocol of {@link Storage}, with a fake device (a second array) in
 * place of a GPU, so it is tested on every machine: lazy host allocation, views sharing one
 * storage, downloads only when the device copy is newer, and host writes invalidating the device.
 */
class StorageTest {
  /** A "device" that is just another array, counting downloads. */
  static final class FakeDevice implements Storage.DeviceCopy {
    final float[] values;
    int downloads;

    FakeDevice(int n) {
      values = new float[n];
    }

    @Override
    public void download(Object host) {
      downloads++;
      System.arraycopy(values, 0, (float[]) host, 0, values.length);
    }

    /** What a backend does to read a storage on the device. */
    void upload(Storage s) {
      if (!s.deviceValid()) {
        Object h = s.hostForUpload();
        if (h == null) {
          java.util.Arrays.fill(values, 0f);
        } else {
          System.arraycopy((float[]) h, 0, values, 0, values.length);
        }
        s.deviceSynced();
      }
    }
  }

  @Test
  void zerosAllocateNoHostArrayUntilTouched() {
    Tensor t = Tensor.zeros(1000);
    assertNull(t.storage().hostForUpload(), "no host array before first use");
    assertEquals(0f, t.get(999));
    assertEquals(1000, t.data().length);
  }

  @Test
  void viewsShareOneStorage() {
    Tensor t = Tensor.zeros(2, 3);
    Tensor v = t.reshape(3, 2);
    assertSame(t.storage(), v.storage());
    v.set(5f, 2, 1);
    assertEquals(5f, t.get(1, 2));
  }

  @Test
  void deviceWritesAreDownloadedOnceOnHostRead() {
    Tensor t = Tensor.zeros(4);
    FakeDevice dev = new FakeDevice(4);
    t.storage().attach(dev);
    dev.upload(t.storage()); // host never allocated: the device is zeroed
    dev.values[2] = 7f; // a kernel writes
    t.storage().deviceWrote();
    assertEquals(7f, t.get(2));
    assertEquals(1, dev.downloads);
    assertEquals(7f, t.dataForRead()[2]);
    assertEquals(1, dev.downloads, "a read-only access leaves both copies valid");
    assertTrue(t.storage().deviceValid());
  }

  @Test
  void hostWritesMakeTheDeviceCopyStale() {
    Tensor t = Tensor.of(new float[] {1, 2, 3}, 3);
    FakeDevice dev = new FakeDevice(3);
    t.storage().attach(dev);
    dev.upload(t.storage());
    assertArrayEquals(new float[] {1, 2, 3}, dev.values);
    t.data()[0] = 9f; // host write through data()
    assertFalse(t.storage().deviceValid());
    dev.upload(t.storage());
    assertEquals(9f, dev.values[0]);
    t.fill(4f);
    assertFalse(t.storage().deviceValid());
  }

  @Test
  void misuseIsRejected() {
    Storage s = Storage.ofFloats(2);
    assertThrows(IllegalStateException.class, s::deviceWrote);
    s.attach(new FakeDevice(2));
    assertThrows(IllegalStateException.class, () -> s.attach(new FakeDevice(2)));
    assertThrows(IllegalStateException.class, s::ints);
    assertThrows(IllegalArgumentException.class, () -> Storage.ofInts(-1));
  }

  @Test
  void zeroingADeviceTensorNeedsNoUpload() {
    Tensor t = Tensor.of(new float[] {1, 2, 3}, 3);
    FakeDevice dev = new FakeDevice(3);
    t.storage().attach(dev);
    dev.upload(t.storage());
    t.fill(0f);
    assertNull(t.storage().hostForUpload(), "zeros need no host array, the device is memset");
    dev.upload(t.storage());
    assertArrayEquals(new float[] {0, 0, 0}, dev.values);
    assertArrayEquals(new float[] {0, 0, 0}, t.data());
  }
}
