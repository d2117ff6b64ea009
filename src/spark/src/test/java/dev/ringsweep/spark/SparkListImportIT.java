package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.testing.TestData;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Imports on Spark of a source that gives write times for a list column (an export with
 * {@code withWritetimeAndTtl}). Such a list written twice with one write time holds its elements twice, so no task
 * attempt runs again after one that may have written rows, and no such import is resumed: each is refused, and the
 * lists written stay whole. Until 2026-11-29 both ran, and garbled the lists of the rows written twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkListImportIT {

  private static final String KS = SparkFixture.KS;
  private static final int ROWS = 600;
  private static final int TASKS = 4;

  private SparkFixture fx;
  private IcebergSource source;

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".lists (k bigint PRIMARY KEY, l list<int>)");
    fx.execute("TRUNCATE " + KS + ".lists");
    TestData.insert(fx.session, "INSERT INTO " + KS + ".lists (k, l) VALUES (?, ?) USING TIMESTAMP 1000", ROWS,
        i -> new Object[] {i, list(i)});
    RingsweepSpark.on(fx.spark, fx.connection).exportToIceberg(KS, "lists",
        ExportTargets.iceberg(fx.warehouse, "db.lists"), ExportOptions.defaults().withWritetimeAndTtl("l"));
    source = ImportSources.iceberg(fx.warehouse, "db.lists");
  }

  @AfterEach
  void noFailures() {
    ImportJob.attemptHook = null;
  }

  private static List<Integer> list(long k) {
    return List.of((int) k, (int) k + 1);
  }

  private RingsweepSpark ringsweep() {
    return RingsweepSpark.on(fx.spark, fx.connection).withOptions(SparkOptions.defaults().withTasks(TASKS));
  }

  private String emptyCopy(String name) {
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + "." + name + " (k bigint PRIMARY KEY, l list<int>)");
    fx.execute("TRUNCATE " + KS + "." + name);
    return name;
  }

  private Map<Long, List<Integer>> lists(String table) {
    Map<Long, List<Integer>> lists = new HashMap<>();
    for (Row row : fx.session.execute("SELECT k, l FROM " + KS + "." + table)) {
      lists.put(row.getLong("k"), row.getList("l", Integer.class));
    }
    return lists;
  }

  private static String hazard() {
    return "list column l is written with the source's write times (column l_writetime), and a list written twice "
        + "with one write time holds its elements twice";
  }

  @Test
  void should_not_run_a_failed_task_again_and_leave_every_list_written_whole() {
    String copy = emptyCopy("lists_failing");
    // Task 1 fails after writing its rows, on every attempt (the fixture lets Spark try a task three times).
    ImportJob.attemptHook = (partition, attempt) -> {
      if (partition == 1) {
        throw new IllegalStateException("test: import task 1 fails after writing, attempt " + attempt);
      }
    };

    BulkOperationException e = catchThrowableOfType(BulkOperationException.class,
        () -> ringsweep().importFromIceberg(source, KS, copy, ImportOptions.defaults()));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("the rows written so far stay in the table, and " + hazard()
        + ": do not run this import again over them (nor resume it), truncate " + KS + "." + copy);
    assertThat(e).hasStackTraceContaining("Not running attempt").hasStackTraceContaining(hazard());
    // Each row holds its list once (its task's first attempt wrote it) or is absent (its task never ran).
    Map<Long, List<Integer>> lists = lists(copy);
    assertThat(lists).isNotEmpty();
    lists.forEach((k, l) -> assertThat(l).as("list of row %s", k).isEqualTo(list(k)));
  }

  @Test
  void should_refuse_to_resume_and_leave_the_lists_alone(@org.junit.jupiter.api.io.TempDir Path dir) {
    String copy = emptyCopy("lists_resumed");
    Path checkpoint = dir.resolve("lists.json");
    ImportOptions options = ImportOptions.defaults().withCheckpointFile(checkpoint);
    assertThat(ringsweep().importFromIceberg(source, KS, copy, options).rows()).isEqualTo(ROWS);

    Throwable refused = catchThrowable(() -> ringsweep().importFromIceberg(source, KS, copy,
        options.withResume(Resume.RESUME)));

    assertThat(refused).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot resume the import into " + KS + "." + copy + " from " + checkpoint + ": " + hazard()
            + ", so the rows of an unfinished split would be garbled; truncate " + KS + "." + copy + " and import "
            + "again with Resume.NEW, or import without the column l_writetime");
    Map<Long, List<Integer>> lists = lists(copy);
    assertThat(lists).hasSize(ROWS);
    lists.forEach((k, l) -> assertThat(l).as("list of row %s", k).isEqualTo(list(k)));
  }
}
