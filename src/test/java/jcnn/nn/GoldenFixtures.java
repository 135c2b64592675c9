package jcnn.nn;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import jcnn.tensor.Tensor;

/**
 * What the golden PyTorch fixtures under src/test/resources/golden share (written by
 * benchmarks/peers/golden_tiny_net.py and golden_compact.py): the closed form their inputs and
 * weights are filled with, so that a fixture stores only outputs and gradients, and reading one.
 */
public final class GoldenFixtures {
  private GoldenFixtures() {}

  /** The fixtures' closed form: value i (row-major) = 0.5 * sin(a * i + b). */
  public static Tensor formula(double a, double b, int... dims) {
    Tensor t = Tensor.zeros(dims);
    float[] d = t.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (Math.sin(a * i + b) * 0.5);
    }
    return t;
  }

  /** The JSON of the fixture {@code name} under /golden/ on the test class path. */
  public static JsonObject load(String name) {
    try (InputStream in = GoldenFixtures.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no golden fixture /golden/" + name + " on the class path");
      }
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException("reading golden fixture " + name, e);
    }
  }
}
