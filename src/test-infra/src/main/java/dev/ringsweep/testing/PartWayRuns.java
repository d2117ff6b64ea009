package dev.ringsweep.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.Progress;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportSource;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Single-JVM exports and imports that fail part-way, for resume tests: the operation's own session is closed once a
 * few of its ranges are done (an import: rows written), so that it stops with work finished and recorded in its checkpoint
 * (as after a lost connection), while the cluster stays up for the resume.
 */
public final class PartWayRuns {

  /** Ranges of an export done before its session is closed. */
  public static final int RANGES_BEFORE_FAILURE = 8;

  private PartWayRuns() {}

  /**
   * Exports {@code keyspace.table} to {@code target} with {@code options} on a session of its own, in 64 ranges, two
   * at a time and without retries, closing the session after {@value #RANGES_BEFORE_FAILURE} ranges.
   *
   * @return the export's failure
   * @throws AssertionError if the export did not fail with a {@link BulkOperationException}
   */
  public static BulkOperationException failExport(TestCluster cluster, String keyspace, String table,
      ExportTarget target, ExportOptions options) {
    return fail(cluster, "export of " + keyspace + "." + table,
        progress -> progress.rangesDone() >= RANGES_BEFORE_FAILURE,
        operator -> operator.export(keyspace, table, target, options));
  }

  /**
   * Imports {@code source} into {@code keyspace.table} with {@code options} on a session of its own, without
   * retries, closing the session once {@code rowsWritten} rows are written (acknowledged: the splits read first are
   * then complete, and recorded in the checkpoint if the options keep one).
   *
   * @return the import's failure
   * @throws AssertionError if the import did not fail with a {@link BulkOperationException}
   */
  public static BulkOperationException failImport(TestCluster cluster, ImportSource source, String keyspace,
      String table, ImportOptions options, long rowsWritten) {
    return fail(cluster, "import into " + keyspace + "." + table, progress -> progress.rows() >= rowsWritten,
        operator -> operator.importFrom(source, keyspace, table, options));
  }

  private static BulkOperationException fail(TestCluster cluster, String what, Predicate<Progress> closeWhen,
      Function<TokenAwareBulkOperator, Object> run) {
    CqlSession doomed = cluster.newSession();
    AtomicBoolean closed = new AtomicBoolean();
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(doomed).splitCount(64).parallelism(2)
        .maxRetries(0).progressListener(progress -> {
          if (closeWhen.test(progress) && closed.compareAndSet(false, true)) {
            doomed.closeAsync();
          }
        }).build();
    try {
      run.apply(operator);
    } catch (BulkOperationException e) {
      return e;
    } catch (RuntimeException e) {
      throw new AssertionError("The " + what + " whose session was closed part-way failed with " + e
          + ", not a BulkOperationException", e);
    } finally {
      doomed.close();
    }
    throw new AssertionError("The " + what + " did not fail after its session was closed (closed: " + closed.get()
        + ")");
  }
}
