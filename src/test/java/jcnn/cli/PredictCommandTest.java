package jcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import jcnn.data.Batches;
import jcnn.data.DataLoader;
import jcnn.data.Dataset;
import jcnn.data.Datasets;
import jcnn.models.Models;
import jcnn.nn.Module;
import jcnn.tensor.Tensor;
import jcnn.train.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jcnn predict} end to end on a LeNet-5 built with a fixed seed (untrained: the test is
 * about the input path, not accuracy): MNIST test images written as PNG get exactly the class
 * probabilities the model gives the dataset's own tensors; bad images, and a grayscale image for a
 * CIFAR-10 model, are one line naming the file with exit code 2.
 */
class PredictCommandTest {
  @TempDir static Path dir;
  private static Path lenet;
  private static Path resnet;
  private static Module model;
  private static Dataset mnist;
  private static List<Path> pngs;

  @BeforeAll
  static void buildModelsAndImages() throws IOException {
    model = Models.create("lenet5", 10, 7);
    lenet = dir.resolve("lenet5.safetensors");
    ModelFile.save(lenet, model, "lenet5", 10, null); // no config: assumes mnist, and says so
    resnet = dir.resolve("resnet20.safetensors");
    ModelFile.save(resnet, Models.create("resnet20", 10, 7), "resnet20", 10, null);
    mnist = Datasets.load("mnist", false, (Path) null).subset(new int[] {0, 1, 2, 3});
    pngs = new ArrayList<>();
    for (int i = 0; i < mnist.size(); i++) {
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          img.getRaster().setSample(x, y, 0, mnist.pixel(i, 0, y, x));
        }
      }
      pngs.add(dir.resolve("digit-" + i + ".png"));
      ImageIO.write(img, "png", pngs.get(i).toFile());
    }
  }

  private static Cli.Run predict(Path modelFile, String... rest) {
    List<String> args =
        new ArrayList<>(List.of("predict", "--model-file", modelFile.toString(), "--threads", "1"));
    args.addAll(List.of(rest));
    return Cli.run(args.toArray(new String[0]));
  }

  private static String[] withImages(String... options) {
    List<String> a = new ArrayList<>(List.of(options));
    pngs.forEach(p -> a.add(p.toString()));
    return a.toArray(new String[0]);
  }

  @Test
  void pngsOfMnistImagesGetTheProbabilitiesOfTheDatasetTensors() {
    Cli.Run r = predict(lenet, withImages("--top", "10", "--json"));
    assertEquals(0, r.exitCode(), r.err());
    JsonObject j = JsonParser.parseString(r.lastOutLine()).getAsJsonObject();
    assertEquals("lenet5", j.get("model").getAsString());
    assertEquals("safetensors", j.get("format").getAsString());
    assertEquals("mnist", j.get("dataset").getAsString());
    assertEquals("model-default", j.get("dataset_source").getAsString());
    double[][] want;
    try (Batches b = DataLoader.builder(mnist).batchSize(4).shuffle(false).build().epoch(0)) {
      Tensor x = b.next().x(); // [4, 1, 28, 28]
      want = PredictCommand.probabilities(model, x);
    }
    JsonArray predictions = j.getAsJsonArray("predictions");
    assertEquals(pngs.size(), predictions.size());
    for (int i = 0; i < pngs.size(); i++) {
      JsonObject p = predictions.get(i).getAsJsonObject();
      assertEquals(pngs.get(i).toString(), p.get("file").getAsString());
      JsonArray top = p.getAsJsonArray("top");
      assertEquals(10, top.size());
      double previous = 1;
      for (int k = 0; k < top.size(); k++) {
        JsonObject t = top.get(k).getAsJsonObject();
        int index = t.get("index").getAsInt();
        double prob = t.get("probability").getAsDouble();
        assertEquals(Integer.toString(index), t.get("class").getAsString());
        assertEquals(want[i][index], prob, 1e-12, "image " + i + ", class " + index);
        assertTrue(prob <= previous, "top list not sorted: " + top);
        previous = prob;
      }
    }
  }

  @Test
  void textOutputNamesEachFileThenItsTopClasses() {
    Cli.Run r = predict(lenet, withImages("--top", "3"));
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = List.of(r.out().strip().split("\\R"));
    assertTrue(lines.get(0).startsWith("the model file names no dataset; assuming mnist"), r.out());
    int first = lines.indexOf(pngs.get(0).toString());
    assertTrue(first > 0, r.out());
    for (int k = 1; k <= 3; k++) {
      assertTrue(lines.get(first + k).matches("  \\d  +\\d+\\.\\d\\d%"), lines.get(first + k));
    }
    assertEquals(pngs.get(1).toString(), lines.get(first + 4));
    assertEquals(first + 4 * pngs.size(), lines.size(), r.out());
  }

  @Test
  void aCorruptMissingOrTruncatedImageIsOneLineNamingIt() throws IOException {
    Path text = Files.writeString(dir.resolve("corrupt.png"), "not a png at all");
    Path missing = dir.resolve("missing.jpg");
    byte[] png = Files.readAllBytes(pngs.get(0));
    Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, 60));
    for (Path bad : List.of(text, missing, truncated)) {
      Cli.Run r = predict(lenet, pngs.get(0).toString(), bad.toString());
      Cli.assertOneLineError(r, bad.toString());
      assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
    }
  }

  @Test
  void aGrayscaleImageForACifarModelIsTheWrongChannelCount() {
    Cli.Run r = predict(resnet, pngs.get(2).toString());
    Cli.assertOneLineError(r, pngs.get(2) + ": a grayscale image, but cifar10 takes colour");
    assertEquals(Main.EXIT_USAGE, r.exitCode());
  }

  @Test
  void topBelowOneAndNoImagesAreUsageErrors() {
    Cli.Run zero = predict(lenet, "--top", "0", pngs.get(0).toString());
    Cli.assertOneLineError(zero, "--top");
    assertEquals(Main.EXIT_USAGE, zero.exitCode());
    Cli.Run none = predict(lenet);
    Cli.assertOneLineError(none, "IMAGE");
    assertEquals(Main.EXIT_USAGE, none.exitCode());
  }
}
