package dev.ringsweep.internal.export;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.format.OnDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a resume of a directory export accepts as finished files, on real files. */
class DirectoryOutputTest {

  @TempDir
  Path dir;

  private DirectoryOutput open() {
    return DirectoryOutput.open(dir, ".csv", null, 1 << 20, List.of(new CqlColumn("k", DataTypes.INT)), Map.of(),
        "run1", true);
  }

  @Test
  void should_find_a_recorded_file_by_name_in_the_directory_and_name_a_missing_one() throws IOException {
    Files.writeString(dir.resolve("part-run0-w000-s00000.csv"), "1\n");
    Path checkpoint = dir.resolve(OnDisk.CHECKPOINT_FILE);
    // Recorded under the directory's former path: found by name.
    WrittenFile moved = new WrittenFile("/elsewhere/part-run0-w000-s00000.csv", 1, 2, null);
    WrittenFile missing = new WrittenFile(dir.resolve("part-run0-w001-s00000.csv").toString(), 1, 2, null);

    open().checkFinished(checkpoint, List.of(moved));

    assertThatThrownBy(() -> open().checkFinished(checkpoint, List.of(moved, missing)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("records the finished file part-run0-w001-s00000.csv, which is not in " + dir);
  }

  @Test
  void should_refuse_a_file_an_export_on_spark_staged_saying_to_resume_it_on_spark() throws IOException {
    Path staged = dir.resolve(OnDisk.SPARK_STAGING_PREFIX + "spark01").resolve("t0a0")
        .resolve("part-spark01-t0a0-w000-s00000.csv");
    Files.createDirectories(staged.getParent());
    Files.writeString(staged, "1\n");

    assertThatThrownBy(() -> open().checkFinished(dir.resolve(OnDisk.CHECKPOINT_FILE),
        List.of(new WrittenFile(staged.toString(), 1, 2, null))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is of an export on Spark")
        .hasMessageContaining("waits in " + staged.getParent())
        .hasMessageContaining("resume it on Spark");
  }
}
