package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.internal.export.DirectoryOutput;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.internal.format.CqlColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's staged output of a Parquet export on Spark, on real files. */
class ParquetStagingTest {

  @TempDir
  Path dir;

  private ParquetStaging output;

  @BeforeEach
  void open() {
    DirectoryOutput real = DirectoryOutput.open(dir, ".parquet", null, 1 << 20,
        List.of(new CqlColumn("k", DataTypes.INT)), Map.of(), "spark0001", false);
    output = new ParquetStaging(dir, real);
  }

  private WrittenFile staged(String run, String attempt, String name) throws IOException {
    Path file = dir.resolve(ParquetStaging.PREFIX + run).resolve(attempt).resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, name, StandardCharsets.UTF_8);
    return new WrittenFile(file.toString(), 1, name.length(), null);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void should_move_the_recorded_files_in_and_delete_every_staging_directory_on_commit() throws IOException {
    WrittenFile a = staged("spark0001", "t0a0", "part-spark0001-t0a0-w000-s00000.parquet");
    WrittenFile b = staged("spark0002", "t3a1", "part-spark0002-t3a1-w000-s00000.parquet");
    staged("spark0001", "t0a1", "part-spark0001-t0a1-w000-s00000.parquet"); // a speculative attempt's
    Path direct = dir.resolve("part-single01-w000-s00000.parquet"); // written by a single-JVM run
    Files.writeString(direct, "single", StandardCharsets.UTF_8);

    output.commit(List.of(a, b, new WrittenFile(direct.toString(), 1, 6, null)));

    assertThat(names()).containsExactly("_ringsweep_schema.json", "part-single01-w000-s00000.parquet",
        "part-spark0001-t0a0-w000-s00000.parquet", "part-spark0002-t3a1-w000-s00000.parquet");
    assertThat(Files.readString(dir.resolve("part-spark0002-t3a1-w000-s00000.parquet")))
        .isEqualTo("part-spark0002-t3a1-w000-s00000.parquet");
  }

  @Test
  void should_finish_the_commit_of_a_run_that_stopped_after_moving_some_files_in() throws IOException {
    WrittenFile a = staged("spark0001", "t0a0", "part-spark0001-t0a0-w000-s00000.parquet");
    WrittenFile b = staged("spark0001", "t1a0", "part-spark0001-t1a0-w000-s00000.parquet");
    // The earlier commit moved the first file in, then the process stopped.
    Files.move(Path.of(a.path()), dir.resolve("part-spark0001-t0a0-w000-s00000.parquet"));

    output.commit(List.of(a, b));

    assertThat(names()).containsExactly("_ringsweep_schema.json", "part-spark0001-t0a0-w000-s00000.parquet",
        "part-spark0001-t1a0-w000-s00000.parquet");
    assertThat(Files.readString(dir.resolve("part-spark0001-t0a0-w000-s00000.parquet")))
        .isEqualTo("part-spark0001-t0a0-w000-s00000.parquet");
  }

  @Test
  void should_move_the_files_back_when_one_cannot_be_moved_in() throws IOException {
    WrittenFile a = staged("spark0001", "t0a0", "part-spark0001-t0a0-w000-s00000.parquet");
    WrittenFile b = staged("spark0001", "t1a0", "part-spark0001-t1a0-w000-s00000.parquet");
    // Something of that name is in the way of the second file.
    Files.createDirectories(dir.resolve("part-spark0001-t1a0-w000-s00000.parquet").resolve("x"));

    assertThatThrownBy(() -> output.commit(List.of(a, b)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("Cannot move the exported file " + b.path());

    assertThat(Path.of(a.path())).isRegularFile();
    assertThat(Path.of(b.path())).isRegularFile();
    assertThat(dir.resolve("part-spark0001-t0a0-w000-s00000.parquet")).doesNotExist();
  }

  @Test
  void should_delete_the_unrecorded_files_of_the_runs_only() throws IOException {
    WrittenFile kept = staged("spark0001", "t0a0", "part-spark0001-t0a0-w000-s00000.parquet");
    WrittenFile stray = staged("spark0001", "t0a1", "part-spark0001-t0a1-w000-s00000.parquet");
    WrittenFile otherRun = staged("spark0009", "t0a0", "part-spark0009-t0a0-w000-s00000.parquet");
    Path singleStray = dir.resolve("part-spark0001-w001-s00003.parquet");
    Files.writeString(singleStray, "x", StandardCharsets.UTF_8);

    output.deleteStrays(List.of("spark0001"), List.of(kept));

    assertThat(Path.of(kept.path())).isRegularFile();
    assertThat(Path.of(stray.path())).doesNotExist();
    assertThat(singleStray).doesNotExist();
    assertThat(Path.of(otherRun.path())).isRegularFile();
  }

  @Test
  void should_find_recorded_files_staged_or_moved_in_and_name_a_missing_one() throws IOException {
    WrittenFile staged = staged("spark0001", "t0a0", "part-spark0001-t0a0-w000-s00000.parquet");
    WrittenFile published = staged("spark0001", "t1a0", "part-spark0001-t1a0-w000-s00000.parquet");
    Files.move(Path.of(published.path()), dir.resolve("part-spark0001-t1a0-w000-s00000.parquet"));
    Path checkpoint = dir.resolve("_ringsweep_checkpoint.json");

    output.checkFinished(checkpoint, List.of(staged, published));

    Files.delete(Path.of(staged.path()));
    assertThatThrownBy(() -> output.checkFinished(checkpoint, List.of(staged, published)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpoint " + checkpoint + " records the finished file " + staged.path());
  }
}
