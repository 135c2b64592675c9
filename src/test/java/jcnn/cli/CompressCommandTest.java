package jcnn.cli;

import static jcnn.cli.Cli.assertOneLineError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import jcnn.compress.codec.JczModel;
import jcnn.compress.codec.JczTensor;
import jcnn.compress.codec.JczWriter;
import jcnn.compress.codec.SparseLayer;
import jcnn.tensor.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compress and eval-on-.jcz end to end on LeNet-300-100 trained for one epoch on a slice of the
 * shipped MNIST; every bad input is one line and a non-zero exit.
 */
class CompressCommandTest {
  @TempDir static Path dir;
  private static Path model;
  private static Path out;
  private static JsonObject result;

  @BeforeAll
  static void trainAndCompress() {
    Path run = dir.resolve("train");
    Cli.Run t =
        Cli.run(
            "train",
            "--model",
            "lenet300",
            "--epochs",
            "1",
            "--limit",
            "2000",
            "--val",
            "500",
            "--threads",
            "2",
            "--quiet",
            "--out",
            run.toString());
    assertEquals(0, t.exitCode(), t.err());
    model = run.resolve("best.safetensors");
    out = dir.resolve("compressed");
    Cli.Run c =
        Cli.run(
            compress(
                "--target",
                "0.9",
                "--retrain-epochs",
                "1",
                "--limit",
                "1000",
                "--clusters",
                "16",
                "--curve",
                "none",
                "--out",
                out.toString(),
                "--json"));
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(c.out().contains("ours:"), c.out());
    result = JsonParser.parseString(c.lastOutLine()).getAsJsonObject();
  }

  private static String[] compress(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of("compress", "--model-file", model.toString(), "--threads", "2", "--quiet"));
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  @Test
  void jsonHasTheReportsFigures() {
    assertEquals("lenet300", result.get("model").getAsString());
    assertEquals(0.9, result.get("pruned_fraction").getAsDouble(), 1e-6);
    assertTrue(result.get("bit_identical").getAsBoolean());
    JsonObject bytes = result.getAsJsonObject("bytes");
    assertEquals(4L * 266_610, bytes.get("dense").getAsLong());
    assertTrue(bytes.get("file").getAsLong() < bytes.get("pruned").getAsLong(), bytes.toString());
    assertTrue(Files.exists(out.resolve("report.md")));
    assertTrue(Files.exists(out.resolve("hist-1_weight.png")));
  }

  @Test
  void evalReadsTheJczFileWhateverItsName() throws IOException {
    Path renamed = dir.resolve("model.bin");
    Files.copy(out.resolve("model.jcz"), renamed, StandardCopyOption.REPLACE_EXISTING);
    Cli.Run e = Cli.run("eval", "--model-file", renamed.toString(), "--threads", "2", "--json");
    assertEquals(0, e.exitCode(), e.err());
    JsonObject j = JsonParser.parseString(e.lastOutLine()).getAsJsonObject();
    assertEquals("jcz", j.get("format").getAsString());
    assertEquals("mnist", j.get("dataset").getAsString());
    assertEquals(Files.size(renamed), j.get("file_bytes").getAsLong());
    double fromFile =
        result.getAsJsonObject("accuracy").getAsJsonObject("from_file").get("test").getAsDouble();
    assertEquals(fromFile, j.get("test_accuracy").getAsDouble(), 0);
  }

  @Test
  void badOptionsAreOneLine() {
    Cli.Run r = Cli.run(compress("--prune", "magnitude", "--target", "0.5"));
    assertOneLineError(r, "--prune must be one of [global, uniform, layer, std]");
    assertEquals(2, r.exitCode());
    r = Cli.run(compress("--target", "0.9", "--max-drop", "0.01"));
    assertOneLineError(r, "not both");
    assertEquals(2, r.exitCode());
    assertOneLineError(Cli.run(compress()), "--target X");
    assertOneLineError(Cli.run(compress("--target", "0.5", "--quantize", "ternary")), "--quantize");
    assertOneLineError(Cli.run(compress("--target", "0.5", "--clusters", "lots")), "--clusters");
    assertOneLineError(
        Cli.run(compress("--target", "0.5", "--ramp", "cubic")), "--ramp cubic spaces the rounds");
    assertOneLineError(
        Cli.run(compress("--target", "0.5", "--step", "0.1", "--ramp", "agp")),
        "--ramp must be linear or cubic, got 'agp'");
  }

  @Test
  void missingAndWrongFilesAreOneLine() {
    Path none = dir.resolve("none.safetensors");
    assertOneLineError(
        Cli.run("compress", "--model-file", none.toString(), "--target", "0.5", "--quiet"),
        "none.safetensors");
    assertOneLineError(
        Cli.run("eval", "--model-file", dir.resolve("none.jcz").toString()), "none.jcz");
    // a .jcz is not a model file to compress
    assertOneLineError(
        Cli.run("compress", "--model-file", out.resolve("model.jcz").toString(), "--target", "0.5"),
        "model.jcz is a compressed .jcz file");
  }

  @Test
  void corruptJczIsOneLine() throws IOException {
    byte[] b = Files.readAllBytes(out.resolve("model.jcz"));
    byte[] flipped = b.clone();
    flipped[b.length / 2] ^= 0x10;
    Path bad = dir.resolve("flipped.jcz");
    Files.write(bad, flipped);
    Cli.Run flippedRun = Cli.run("eval", "--model-file", bad.toString());
    assertOneLineError(flippedRun, "flipped.jcz");
    assertEquals(Main.EXIT_USAGE, flippedRun.exitCode(), "a damaged file is bad input");
    Path cut = dir.resolve("cut.jcz");
    Files.write(cut, Arrays.copyOf(b, b.length - 7));
    assertOneLineError(Cli.run("eval", "--model-file", cut.toString()), "cut.jcz");
  }

  /**
   * A .jcz whose CRCs are right but whose sparse positions run past the layer (the shape was made
   * smaller after encoding): eval and predict both stop with one line naming the file and exit 2.
   */
  @Test
  void sparseIndicesPastTheLayerAreOneLineAndExitTwo() throws IOException {
    int[] codes = new int[100];
    Arrays.fill(codes, SparseLayer.PRUNED);
    codes[3] = 0;
    codes[40] = 1;
    codes[99] = 0; // position 99 lies past the 75 weights of the patched shape
    String name = "fc.weight";
    JczModel m =
        new JczModel(
            "lenet300",
            10,
            "{}",
            Map.of(name, new JczTensor.Coded(codes, new float[] {0.5f, -0.5f}, Shape.of(4, 25))));
    JczWriter.Output enc = JczWriter.encode(m);
    byte[] b = enc.bytes();
    int start = (int) enc.report().headerBytes();
    int end = start + (int) enc.report().tensors().get(0).sectionBytes();
    int dim0 = start + 1 + 2 + name.length() + 1; // type, name length, name, rank
    assertEquals(4, ByteBuffer.wrap(b, dim0, 4).getInt(), "dim 0 where the format puts it");
    ByteBuffer.wrap(b).putInt(dim0, 3);
    ByteBuffer.wrap(b).putInt(end - 4, crc(b, start, end - 4));
    ByteBuffer.wrap(b).putInt(b.length - 4, crc(b, 0, b.length - 4));
    Path bad = dir.resolve("past.jcz");
    Files.write(bad, b);
    Cli.Run eval = Cli.run("eval", "--model-file", bad.toString());
    assertOneLineError(eval, "past.jcz");
    assertTrue(eval.err().contains("past the 75 weights"), eval.err());
    assertEquals(Main.EXIT_USAGE, eval.exitCode(), eval.err());
    Cli.Run predict = Cli.run("predict", "--model-file", bad.toString(), bad.toString());
    assertOneLineError(predict, "past.jcz");
    assertTrue(predict.err().contains("past the 75 weights"), "the model, not the image, failed");
    assertEquals(Main.EXIT_USAGE, predict.exitCode(), predict.err());
  }

  private static int crc(byte[] b, int from, int to) {
    CRC32 c = new CRC32();
    c.update(b, from, to - from);
    return (int) c.getValue();
  }
}
