package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import jcnn.backend.Backend;
import jcnn.backend.Backends;
import jcnn.bench.ConvShapes;
import jcnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code jcnn selfcheck}: passes on the real backends, and its checks catch a backend that is off
 * by a little in one output value. Takes about two seconds (the demo's one-second timing loop).
 */
class SelfCheckCommandTest {
  @Test
  void demoPassesAndReportsEachCheck() {
    Cli.Run r = Cli.run("selfcheck", "--threads", "2", "--json");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    JsonObject o = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    assertTrue(o.get("ok").getAsBoolean());
    assertEquals(2, o.get("threads").getAsInt());
    assertEquals(3, o.getAsJsonArray("checks").size());
    for (JsonElement c : o.getAsJsonArray("checks")) {
      assertTrue(c.getAsJsonObject().get("ok").getAsBoolean(), c.toString());
    }
    assertTrue(o.get("sgemm512_gflops_estimate").getAsDouble() > 0);
    assertTrue(r.out().contains("quick estimate, not a benchmark"), r.out());
  }

  /** The reference backend with one value of every conv2dForward and matmul output nudged. */
  private static Backend offByALittle(Backend ref) {
    return (Backend)
        Proxy.newProxyInstance(
            Backend.class.getClassLoader(),
            new Class<?>[] {Backend.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(ref, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("conv2dForward")) {
                ((Tensor) args[4]).data()[7] += 0.01f;
              } else if (method.getName().equals("matmul")) {
                ((Tensor) args[4]).data()[3] += 0.05f;
              }
              return result;
            });
  }

  @Test
  void checksCatchASmallError() {
    Backend ref = Backends.reference();
    Backend bad = offByALittle(ref);
    Parity.Result conv = SelfCheckCommand.checkConv(ref, bad, ConvShapes.get("lenet5.conv2"));
    assertFalse(conv.ok());
    assertEquals(1, conv.mismatches());
    assertEquals(7, conv.firstBad());
    Parity.Result mm = SelfCheckCommand.checkMatmul(ref, bad, 33);
    assertFalse(mm.ok());
    assertEquals(3, mm.firstBad());
    assertTrue(SelfCheckCommand.checkConv(ref, ref, ConvShapes.get("lenet5.conv1")).ok());
  }
}
