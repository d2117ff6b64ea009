package dev.ringsweep.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.imports.Verification;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCheckpointTest {

  @TempDir Path dir;

  @Test
  void should_reload_done_splits_and_their_totals() {
    Path file = dir.resolve("cp.json");
    ImportCheckpoint cp = ImportCheckpoint.fresh(file, "parquet /in", "ks.t", 7);
    cp.record("/in/a.parquet row group 0", new ImportCheckpoint.Done(10, 9, 100));
    cp.record("/in/b.parquet row group 0", new ImportCheckpoint.Done(5, 5, -40));

    ImportCheckpoint back = ImportCheckpoint.load(file, "parquet /in", "ks.t");

    assertThat(back.targetRowsBefore()).isEqualTo(7);
    assertThat(back.doneSplits()).containsExactlyInAnyOrder("/in/a.parquet row group 0", "/in/b.parquet row group 0");
    assertThat(back.total()).isEqualTo(new ImportCheckpoint.Done(15, 14, 60));
  }

  @Test
  void should_keep_each_splits_bad_records_and_read_a_checkpoint_from_before_them_as_none() throws Exception {
    Path file = dir.resolve("bad.json");
    ImportCheckpoint cp = ImportCheckpoint.fresh(file, "csv /in", "ks.t", 0);
    cp.record("/in/a.csv", new ImportCheckpoint.Done(10, 8, 100, 2));
    cp.record("/in/b.csv", new ImportCheckpoint.Done(5, 4, 7, 1));

    assertThat(ImportCheckpoint.load(file, "csv /in", "ks.t").total())
        .isEqualTo(new ImportCheckpoint.Done(15, 12, 107, 3));

    // A checkpoint written before bad records were kept in it: no "bad" field, read as none.
    java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file).replaceAll(",\\s*\"bad\"\\s*:\\s*\\d+", ""));
    assertThat(java.nio.file.Files.readString(file)).doesNotContain("\"bad\"");
    assertThat(ImportCheckpoint.load(file, "csv /in", "ks.t").total())
        .isEqualTo(new ImportCheckpoint.Done(15, 12, 107, 0));
  }

  @Test
  void should_refuse_a_resume_whose_source_no_longer_has_a_recorded_split_naming_it() {
    Path file = dir.resolve("planned.json");
    ImportCheckpoint cp = ImportCheckpoint.fresh(file, "iceberg db.t", "ks.t", 0);
    cp.record("db.t task 0 (f0 from byte 4; 1000 bytes)", new ImportCheckpoint.Done(3, 3, 30));
    ImportCheckpoint back = ImportCheckpoint.load(file, "iceberg db.t", "ks.t");

    back.checkSplitsKnown(java.util.List.of("db.t task 0 (f0 from byte 4; 1000 bytes)",
        "db.t task 1 (f0 from byte 1004; 1000 bytes)"));
    // Planned otherwise since: task 0 now stands for other rows, under another name.
    assertThatThrownBy(() -> back.checkSplitsKnown(java.util.List.of("db.t task 0 (f0 from byte 4; 2000 bytes)")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot resume from import checkpoint " + file + ": it records the finished split 'db.t task 0 "
            + "(f0 from byte 4; 1000 bytes)', which iceberg db.t no longer has (the source changed or was split "
            + "otherwise since, or the checkpoint is of an earlier version of Ringsweep, which named splits "
            + "otherwise); truncate ks.t and import again with Resume.NEW");
  }

  @Test
  void should_refuse_to_verify_checksums_of_splits_an_earlier_run_recorded_without_them() {
    Path file = dir.resolve("sums.json");
    ImportCheckpoint first = ImportCheckpoint.fresh(file, "csv /in", "ks.t", 0);
    first.startRun(Verification.COUNT);
    first.record("/in/a.csv (10 bytes)", new ImportCheckpoint.Done(1, 1, 0));

    ImportCheckpoint resumed = ImportCheckpoint.load(file, "csv /in", "ks.t");
    assertThatThrownBy(() -> resumed.startRun(Verification.COUNT_AND_CHECKSUM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot verify the resumed import of csv /in into ks.t with checksums (COUNT_AND_CHECKSUM): the "
            + "earlier runs recorded in checkpoint " + file + " did not compute the checksums of their 1 finished "
            + "splits; resume with Verification.COUNT, or truncate ks.t and import "
            + "again with Resume.NEW");
    ImportCheckpoint.load(file, "csv /in", "ks.t").startRun(Verification.COUNT);

    // Runs that all computed them: a resume verifies checksums.
    Path summed = dir.resolve("summed.json");
    ImportCheckpoint withSums = ImportCheckpoint.fresh(summed, "csv /in", "ks.t", 0);
    withSums.startRun(Verification.COUNT_AND_CHECKSUM);
    withSums.record("/in/a.csv (10 bytes)", new ImportCheckpoint.Done(1, 1, 42));
    ImportCheckpoint again = ImportCheckpoint.load(summed, "csv /in", "ks.t");
    again.startRun(Verification.COUNT_AND_CHECKSUM);
    // ...until a run without them records a split.
    again.startRun(Verification.NONE);
    again.record("/in/b.csv (10 bytes)", new ImportCheckpoint.Done(1, 1, 0));
    assertThatThrownBy(() -> ImportCheckpoint.load(summed, "csv /in", "ks.t").startRun(
        Verification.COUNT_AND_CHECKSUM)).hasMessageContaining("their 2 finished splits");
    // A target that held rows before is not verified by checksum: nothing to refuse.
    Path full = dir.resolve("full.json");
    ImportCheckpoint.fresh(full, "csv /in", "ks.t", 5).record("/in/a.csv (10 bytes)",
        new ImportCheckpoint.Done(1, 1, 0));
    ImportCheckpoint.load(full, "csv /in", "ks.t").startRun(Verification.COUNT_AND_CHECKSUM);
  }

  @Test
  void should_record_splits_finished_together_once_each_with_their_sum() {
    Path file = dir.resolve("together.json");
    ImportCheckpoint cp = ImportCheckpoint.fresh(file, "iceberg db.t", "ks.t", 0);
    cp.record("task 0", new ImportCheckpoint.Done(3, 3, 30));
    cp.recordTogether(java.util.List.of("task 1", "task 4", "task 7"), new ImportCheckpoint.Done(12, 11, 5));

    ImportCheckpoint back = ImportCheckpoint.load(file, "iceberg db.t", "ks.t");

    assertThat(back.doneSplits()).containsExactlyInAnyOrder("task 0", "task 1", "task 4", "task 7");
    assertThat(back.total()).isEqualTo(new ImportCheckpoint.Done(15, 14, 35));
    assertThatThrownBy(() -> cp.recordTogether(java.util.List.of(), new ImportCheckpoint.Done(1, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("splits");
  }

  @Test
  void should_refuse_a_checkpoint_of_another_source_or_target_naming_both() {
    Path file = dir.resolve("cp.json");
    ImportCheckpoint.fresh(file, "csv /in", "ks.t", 0);

    assertThatThrownBy(() -> ImportCheckpoint.load(file, "csv /in", "ks.u"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Import checkpoint " + file + " is for csv /in into ks.t, not csv /in into ks.u (resume the same"
            + " import, or start a new one)");
  }

  @Test
  void should_read_the_source_a_checkpoint_names_or_null_when_it_cannot() throws Exception {
    Path file = dir.resolve("source.json");
    ImportCheckpoint.fresh(file, "iceberg db.t in /wh", "ks.t", 0);

    assertThat(ImportCheckpoint.recordedSource(file)).isEqualTo("iceberg db.t in /wh");
    assertThat(ImportCheckpoint.recordedSource(Files.writeString(dir.resolve("garbage.json"), "{{{"))).isNull();
    assertThat(ImportCheckpoint.recordedSource(Files.writeString(dir.resolve("nosource.json"), "{\"source\": 3}")))
        .isNull();
    assertThat(ImportCheckpoint.recordedSource(dir.resolve("missing.json"))).isNull();
  }

  @Test
  void should_name_a_corrupt_checkpoint_or_one_that_is_not_an_import_checkpoint() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.json"), "{{{");
    Path export = Files.writeString(dir.resolve("export.json"), "{\"source\": \"ks.t\", \"columns\": []}");

    assertThatThrownBy(() -> ImportCheckpoint.load(garbage, "csv /in", "ks.t"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("Cannot read import checkpoint " + garbage + " (");
    assertThatThrownBy(() -> ImportCheckpoint.load(export, "csv /in", "ks.t"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Invalid import checkpoint " + export + ": not a Ringsweep import checkpoint");
  }
}
