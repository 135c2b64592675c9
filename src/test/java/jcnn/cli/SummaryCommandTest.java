package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** {@code jcnn summary}: the table, the JSON, the configuration rule and one-line errors. */
class SummaryCommandTest {
  private static JsonObject json(String... args) {
    Cli.Run r = Cli.run(args);
    assertEquals(0, r.exitCode(), r.err());
    return JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
  }

  @Test
  void imagenetCountsAndTheCifarDefault() {
    JsonObject sq =
        json("summary", "--model", "squeezenet", "--classes", "1000", "--input", "224", "--json");
    assertEquals("imagenet", sq.get("config").getAsString());
    assertEquals(1_248_424, sq.get("params").getAsLong());
    assertEquals(818_924_576L, sq.get("macs").getAsLong());
    JsonObject mb = json("summary", "--model", "mobilenet2", "--json");
    assertEquals("cifar", mb.get("config").getAsString());
    assertEquals(10, mb.get("classes").getAsInt());
    assertEquals(2_236_682, mb.get("params").getAsLong()); // the CIFAR parameter count
    long layers =
        mb.getAsJsonArray("layers").asList().stream()
            .mapToLong(l -> l.getAsJsonObject().get("params").getAsLong())
            .sum();
    assertEquals(2_236_682, layers, "the rows add up to the total");
    JsonObject small =
        json("summary", "--model", "mobilenet2", "--width", "0.5", "--resolution", "0.5", "--json");
    assertEquals("mobilenet2-0.5x-r0.5", small.get("model").getAsString());
  }

  @Test
  void tableHasTotals() {
    Cli.Run r = Cli.run("summary", "--model", "lenet5");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("parameters:      431,080"), r.out());
    assertTrue(r.out().contains("mult-adds:"), r.out());
  }

  @Test
  void badInputIsOneLine() {
    Cli.assertOneLineError(
        Cli.run("summary", "--model", "squeezenet", "--input", "224", "--resolution", "0.1"),
        "--resolution 0.1 makes the 224x224 input 22x22: squeezenet (ImageNet configuration) takes"
            + " at least 29x29");
    Cli.assertOneLineError(
        Cli.run("summary", "--model", "mobilenet1", "--resolution", "1.5"),
        "--resolution must be in (0, 1]");
    Cli.assertOneLineError(
        Cli.run("summary", "--model", "resnet20", "--resolution", "0.5"),
        "--resolution is for the compact networks");
    Cli.assertOneLineError(
        Cli.run("summary", "--model", "resnet20", "--config", "imagenet"),
        "resnet20 has no ImageNet configuration");
    Cli.assertOneLineError(Cli.run("summary", "--model", "vgg16"), "unknown model 'vgg16'");
    Cli.assertOneLineError(
        Cli.run("summary", "--model", "lenet5", "--input", "20"),
        "--input 20 is too small: lenet5 takes at least 28x28");
    Cli.assertOneLineError( // lenet5 takes 28 and 29 only: 32 is not too small but does not fit
        Cli.run("summary", "--model", "lenet5", "--input", "32"),
        "--input 32 does not fit lenet5: Linear(800 -> 500)");
    Cli.assertOneLineError(
        Cli.run("summary", "--model", "mobilenet2", "--input", "0"),
        "--input must be at least 1 pixel, got 0");
  }
}
