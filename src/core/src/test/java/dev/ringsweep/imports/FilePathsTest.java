package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.export.ExportTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Sources and targets in files keep their path absolute and normalized: a checkpoint names the source, its files and
 * the target by these paths, so a run given {@code data}, {@code ./data} or the absolute path must name them alike
 * (the single JVM and Spark, or two runs from one directory).
 */
class FilePathsTest {

  private static final Path CWD = Path.of("").toAbsolutePath();

  @Test
  void should_make_relative_source_paths_absolute_and_normalized() {
    CsvSource csv = ImportSource.csv(Path.of("in/../data"));
    JsonLinesSource json = ImportSource.jsonLines(Path.of("./data"));

    assertThat(csv.path()).isEqualTo(CWD.resolve("data")).isAbsolute();
    assertThat(json.path()).isEqualTo(CWD.resolve("data"));
    assertThat(csv.describe()).isEqualTo("csv " + CWD.resolve("data"))
        .isEqualTo(ImportSource.csv(CWD.resolve("data")).describe());
    assertThat(json).isEqualTo(ImportSource.jsonLines(CWD.resolve("data")));
  }

  @Test
  void should_make_relative_target_directories_absolute_and_normalized() {
    assertThat(ExportTarget.csv(Path.of("out/./x/..")).directory()).isEqualTo(CWD.resolve("out"));
    assertThat(ExportTarget.jsonLines(Path.of("out")).describe())
        .isEqualTo(ExportTarget.jsonLines(CWD.resolve("out")).describe())
        .isEqualTo("jsonLines " + CWD.resolve("out"));
  }

  @Test
  void should_keep_absolute_paths_as_they_are_once_normalized() {
    Path absolute = Path.of("/var/data/exports");
    assertThat(ImportSource.csv(absolute).path()).isEqualTo(absolute);
    assertThat(ExportTarget.csv(Path.of("/var/data/../data/exports")).directory()).isEqualTo(absolute);
  }
}
