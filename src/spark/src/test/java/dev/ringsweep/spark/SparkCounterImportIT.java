package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.CounterTarget;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.testing.TestData;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Imports into counter tables on Spark, in several waves of tasks on the real single-node cluster. Counter writes add
 * up, so the import checks once, on the driver, that the target is empty (or that the caller chose to add to it), and
 * a task attempt that is not its task's first refuses to run: it would add again what the attempt before it added.
 * Until 2026-11-29 each task checked for itself, so every task after the first wave found the counts of the tasks
 * before it and failed, and {@link CounterTarget#ADD_TO_EXISTING} never reached the tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkCounterImportIT {

  private static final String KS = SparkFixture.KS;
  private static final int ROWS = 3_000;
  /** Tasks of each import: three waves on the fixture's two cores. */
  private static final int TASKS = 6;

  private SparkFixture fx;
  private IcebergSource source;

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".hits (k bigint PRIMARY KEY, c counter)");
    fx.execute("TRUNCATE " + KS + ".hits");
    TestData.insert(fx.session, "UPDATE " + KS + ".hits SET c = c + ? WHERE k = ?", ROWS,
        i -> new Object[] {count(i), i});
    RingsweepSpark.on(fx.spark, fx.connection).exportToIceberg(KS, "hits",
        ExportTargets.iceberg(fx.warehouse, "db.hits"), ExportOptions.defaults());
    source = ImportSources.iceberg(fx.warehouse, "db.hits");
  }

  @AfterEach
  void noFailures() {
    ImportJob.attemptHook = null;
  }

  /** The count of row {@code k} in the source: 1 to 50, some negative. */
  private static long count(long k) {
    return k % 7 == 0 ? -(k % 50 + 1) : k % 50 + 1;
  }

  private RingsweepSpark ringsweep() {
    return RingsweepSpark.on(fx.spark, fx.connection).withOptions(SparkOptions.defaults().withTasks(TASKS));
  }

  private String emptyCopy(String name) {
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + "." + name + " (k bigint PRIMARY KEY, c counter)");
    fx.execute("TRUNCATE " + KS + "." + name);
    return name;
  }

  private Map<Long, Long> counts(String table) {
    Map<Long, Long> counts = new HashMap<>();
    for (Row row : fx.session.execute("SELECT k, c FROM " + KS + "." + table)) {
      counts.put(row.getLong("k"), row.getLong("c"));
    }
    return counts;
  }

  private static Map<Long, Long> expected(int times) {
    Map<Long, Long> counts = new HashMap<>();
    for (long k = 0; k < ROWS; k++) {
      counts.put(k, times * count(k));
    }
    return counts;
  }

  @Test
  void should_import_into_an_empty_counter_table_in_several_waves_of_tasks_each_count_once() {
    String copy = emptyCopy("hits_copy");

    ImportResult result = ringsweep().importFromIceberg(source, KS, copy, ImportOptions.defaults());

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.verification().matches()).isTrue();
    assertThat(counts(copy)).isEqualTo(expected(1));
  }

  @Test
  void should_refuse_a_counter_table_holding_rows_before_any_task_unless_asked_to_add() {
    String copy = emptyCopy("hits_twice");
    ringsweep().importFromIceberg(source, KS, copy, ImportOptions.defaults());

    Throwable refused = catchThrowable(() -> ringsweep().importFromIceberg(source, KS, copy,
        ImportOptions.defaults()));
    assertThat(refused).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Counter table " + KS + "." + copy + " already holds rows")
        .hasMessageContaining("CounterTarget.ADD_TO_EXISTING");
    assertThat(counts(copy)).as("nothing added by the refused import").isEqualTo(expected(1));

    // Adding to rows already there leaves the row count as it was: a count verification would take the rows for
    // upserts and fail, as it does in a single JVM.
    ImportResult added = ringsweep().importFromIceberg(source, KS, copy, ImportOptions.defaults()
        .withCounterTarget(CounterTarget.ADD_TO_EXISTING).withVerification(Verification.NONE));
    assertThat(added.rows()).isEqualTo(ROWS);
    assertThat(counts(copy)).isEqualTo(expected(2));
  }

  @Test
  void should_not_run_a_failed_counter_import_task_again_and_say_the_counts_stay_added() {
    String copy = emptyCopy("hits_failing");
    // Task 2 fails after writing its rows, on every attempt (the fixture lets Spark try a task three times).
    ImportJob.attemptHook = (partition, attempt) -> {
      if (partition == 2) {
        throw new IllegalStateException("test: import task 2 fails after writing, attempt " + attempt);
      }
    };

    BulkOperationException e = catchThrowableOfType(BulkOperationException.class,
        () -> ringsweep().importFromIceberg(source, KS, copy, ImportOptions.defaults()));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("the counts added so far stay added: truncate " + KS + "." + copy);
    // No count was added twice: each row holds its count once (its task's first attempt wrote it) or not at all.
    Map<Long, Long> expected = expected(1);
    Map<Long, Long> counts = counts(copy);
    assertThat(counts).isNotEmpty();
    counts.forEach((k, c) -> assertThat(c).as("count of row %s", k).isEqualTo(expected.get(k)));
  }
}
