package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ringsweep.BulkOperationException;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Resume of an export to Iceberg on Spark against the real single-node cluster: a job that fails part-way (a task
 * failing every attempt) commits nothing and records the finished tasks; resuming it commits each row once in ONE
 * commit; a resume with other options is refused naming both; resuming a committed export commits nothing more; the
 * checkpoint holds no credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkExportResumeIT {

  private static final String KS = SparkFixture.KS;
  private static final int ROWS = 3_000;
  private static final int TASKS = 6;

  private SparkFixture fx;
  private ExportChecks checks;

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    checks = new ExportChecks(fx.spark, fx.warehouse);
    for (String table : new String[] {"resume_src", "resume_other"}) {
      fx.execute("CREATE TABLE IF NOT EXISTS " + KS + "." + table + " (k bigint PRIMARY KEY, v text)");
      fx.execute("TRUNCATE " + KS + "." + table);
      TestData.insert(fx.session, "INSERT INTO " + KS + "." + table + " (k, v) VALUES (?, ?)", ROWS,
          k -> new Object[] {k, value(k)});
    }
  }

  @AfterEach
  void clearHook() {
    ExportJob.attemptHook = null;
  }

  private static String value(long k) {
    return "value " + k;
  }

  private RingsweepSpark ringsweep() {
    return RingsweepSpark.on(fx.spark, fx.connection).withOptions(SparkOptions.defaults().withTasks(TASKS));
  }

  private IcebergTarget target(String table) {
    return ExportTargets.iceberg(fx.warehouse, "db." + table);
  }

  private static ExportOptions resume() {
    return ExportOptions.defaults().withResume(Resume.RESUME);
  }

  /** Fails an export of resume_src to {@code table}: task {@code partition} fails every attempt, the others succeed. */
  private BulkOperationException failPart(RingsweepSpark ringsweep, String table, int partition) {
    ExportJob.attemptHook = (p, attempt) -> {
      if (p == partition) {
        throw new IllegalStateException("injected failure of every attempt of partition " + partition);
      }
    };
    try {
      return catchThrowableOfType(BulkOperationException.class,
          () -> ringsweep.exportToIceberg(KS, "resume_src", target(table), ExportOptions.defaults()));
    } finally {
      ExportJob.attemptHook = null;
    }
  }

  @Test
  void should_commit_nothing_when_a_task_fails_and_resume_into_one_commit_of_each_row_once() {
    BulkOperationException failure = failPart(ringsweep(), "resumed", TASKS - 2);

    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("nothing was committed", "checkpoint " + checks.checkpoint("resumed"),
        "--resume", "partition " + (TASKS - 2));
    ExportResult partial = failure.partialResult(ExportResult.class);
    assertThat(partial.rows()).as("rows of the tasks that finished before the job failed").isBetween(1L, ROWS - 1L);
    assertThat(failure.failedRanges()).isNotEmpty();
    assertThat(checks.tableExists("resumed")).isFalse();
    Set<String> kept = checks.recordedFiles("resumed");
    assertThat(checks.unreferencedFiles("resumed")).isNotEmpty().isEqualTo(kept);

    ExportResult resumed = ringsweep().exportToIceberg(KS, "resume_src", target("resumed"), resume());

    assertThat(resumed.rangesSkipped()).isPositive().isLessThan(resumed.rangesTotal());
    assertThat(partial.rows() + resumed.rows()).isEqualTo(ROWS);
    assertThat(checks.snapshots("resumed")).isEqualTo(1);
    checks.assertExactly("resumed", ROWS, SparkExportResumeIT::value);
    assertThat(checks.unreferencedFiles("resumed")).isEmpty();
  }

  @Test
  void should_refuse_to_resume_with_other_columns_table_or_format_naming_both() {
    failPart(ringsweep(), "refused", 1);
    Set<String> kept = checks.recordedFiles("refused");

    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "resume_src", target("refused"),
        resume().withColumns("k")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KS + ".resume_src [k, v]").hasMessageContaining(KS + ".resume_src [k]");
    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "resume_other", target("refused"), resume()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KS + ".resume_src").hasMessageContaining(KS + ".resume_other");
    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "resume_src",
        target("refused").withCompression(ParquetCompression.SNAPPY), resume()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("compression=zstd").hasMessageContaining("compression=snappy");
    // Another Iceberg table, told to resume this checkpoint.
    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "resume_src", target("refused_elsewhere"),
        resume().withCheckpointFile(checks.checkpoint("refused"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("table=db.refused ").hasMessageContaining("table=db.refused_elsewhere ");

    assertThat(checks.tableExists("refused")).isFalse();
    assertThat(checks.tableExists("refused_elsewhere")).isFalse();
    assertThat(checks.recordedFiles("refused")).isEqualTo(kept);
    ringsweep().exportToIceberg(KS, "resume_src", target("refused"), resume());
    assertThat(checks.snapshots("refused")).isEqualTo(1);
    checks.assertExactly("refused", ROWS, SparkExportResumeIT::value);
  }

  @Test
  void should_commit_nothing_more_when_resuming_a_committed_export() {
    ExportResult first = ringsweep().exportToIceberg(KS, "resume_src", target("committed"), resume());
    assertThat(first.rows()).isEqualTo(ROWS);

    ExportResult again = ringsweep().exportToIceberg(KS, "resume_src", target("committed"), resume());

    assertThat(again.rows()).isZero();
    assertThat(again.rangesSkipped()).isEqualTo(again.rangesTotal());
    assertThat(checks.snapshots("committed")).isEqualTo(1);
    checks.assertExactly("committed", ROWS, SparkExportResumeIT::value);
  }

  @Test
  void should_keep_credentials_out_of_the_checkpoint() throws IOException {
    // The test cluster asks for no authentication, so the driver never sends these; they only travel in the value.
    RingsweepSpark withCredentials = RingsweepSpark.on(fx.spark,
        fx.connection.withCredentials("checkpoint_user", "s3cret-not-in-checkpoint"))
        .withOptions(SparkOptions.defaults().withTasks(TASKS));

    failPart(withCredentials, "credentials", 1);

    String checkpoint = Files.readString(checks.checkpoint("credentials"));
    assertThat(checkpoint).contains(KS + ".resume_src").doesNotContain("s3cret-not-in-checkpoint")
        .doesNotContain("checkpoint_user");
  }
}
