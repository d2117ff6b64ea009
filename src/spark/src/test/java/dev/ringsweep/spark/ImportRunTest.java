package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.export.Resume;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.internal.imports.ImportCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an import on Spark names its Iceberg source in the checkpoint (no cluster: the files only). */
class ImportRunTest {

  private static final String UNPINNED = "iceberg db.t in /wh";
  private static final String PINNED = "iceberg db.t in /wh at snapshot 42";

  @TempDir Path dir;

  @Test
  void should_name_the_pinned_snapshot_unless_resuming_a_checkpoint_of_the_unpinned_table() {
    Path single = dir.resolve("single.json");
    ImportCheckpoint.fresh(single, UNPINNED, "ks.t", 0);
    Path spark = dir.resolve("spark.json");
    ImportCheckpoint.fresh(spark, PINNED, "ks.t", 0);
    ImportOptions resume = ImportOptions.defaults().withResume(Resume.RESUME);

    assertThat(ImportRun.checkpointSource(resume.withCheckpointFile(single), UNPINNED, PINNED)).isEqualTo(UNPINNED);
    assertThat(ImportRun.checkpointSource(resume.withCheckpointFile(spark), UNPINNED, PINNED)).isEqualTo(PINNED);
    // A new import, or a checkpoint that does not exist yet, names the snapshot it reads.
    assertThat(ImportRun.checkpointSource(ImportOptions.defaults().withCheckpointFile(single), UNPINNED, PINNED))
        .isEqualTo(PINNED);
    assertThat(ImportRun.checkpointSource(resume.withCheckpointFile(dir.resolve("none.json")), UNPINNED, PINNED))
        .isEqualTo(PINNED);
    // A source the user pinned is named as given.
    assertThat(ImportRun.checkpointSource(resume.withCheckpointFile(single), PINNED, PINNED)).isEqualTo(PINNED);
  }
}
