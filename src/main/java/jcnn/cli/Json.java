package jcnn.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.PrintWriter;

/**
 * The {@code --json} contract shared by every command: the last line of stdout is one JSON object,
 * written on a single line so scripts can take {@code tail -n 1}.
 */
final class Json {
  // Nulls are written, not dropped: "ms_error": null says "not measurable", absence says nothing.
  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  private Json() {}

  static String line(JsonObject o) {
    return GSON.toJson(o);
  }

  static void print(PrintWriter out, JsonObject o) {
    out.println(line(o));
    out.flush();
  }

  /**
   * Adds {@code key: value}, or {@code key: null} when value is NaN or infinite (e.g. the error of
   * a single measurement), since strict JSON has no NaN.
   */
  static void addNumber(JsonObject o, String key, double value) {
    if (Double.isFinite(value)) {
      o.addProperty(key, value);
    } else {
      o.add(key, JsonNull.INSTANCE);
    }
  }

  /** {"available": false, "reason": reason}: how a missing optional part is reported. */
  static JsonObject unavailable(String reason) {
    JsonObject o = new JsonObject();
    o.addProperty("available", false);
    o.addProperty("reason", reason);
    return o;
  }
}
