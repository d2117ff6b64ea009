package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts are real PNG images. */
class ChartsTest {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void should_draw_rows_per_second_and_rss_charts_of_a_group(@TempDir Path dir) throws IOException {
    Suite suite = new Suite("export", "Export")
        .add(new Measurement("g", "DSBulk unload → CSV", Measurement.Role.BASELINE, 1000, 10, 20, 400, 3, ""))
        .add(new Measurement("g", "Ringsweep → Parquet", Measurement.Role.CONTENDER, 1000, 4, 5, 200, 3, ""));
    List<String> files = Charts.suite(suite, dir, "1 node(s)");
    assertThat(files).containsExactly("export.png", "export-rss.png");
    for (String file : files) {
      BufferedImage image = ImageIO.read(dir.resolve(file).toFile());
      assertThat(image).isNotNull();
      assertThat(image.getWidth()).isGreaterThanOrEqualTo(700);
    }
  }

  @Test
  void should_draw_a_sweep_and_a_speed_up_chart(@TempDir Path dir) throws IOException {
    Charts.lines(dir.resolve("sweep.png"), "sweep", "parallelism", "rows/s",
        Map.of("16 pieces", new double[][] {{4, 8, 16}, {100, 180, 200}}));
    Charts.speedUps(dir.resolve("headline.png"), "headline", List.of("a vs b", "c vs d"), List.of(2.5, 1.2));
    assertThat(ImageIO.read(dir.resolve("sweep.png").toFile())).isNotNull();
    assertThat(ImageIO.read(dir.resolve("headline.png").toFile())).isNotNull();
  }
}
