package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.cql.BatchableStatement;

/**
 * Receives each statement a {@link BatchWriter} could not write, with the cause, once its retries are spent and (for
 * a batch that failed for a reason no retry fixes) after the batch was split to isolate the failing statements.
 *
 * <p>Called on a driver I/O thread: it must return quickly and never block. An exception it throws is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface FailureCallback {

  /** A callback that does nothing: failures are still counted in the {@link WriteResult} and the metrics. */
  FailureCallback IGNORE = (statement, cause) -> {};

  /** Called once for every statement that was not written. */
  void onFailure(BatchableStatement<?> statement, Throwable cause);
}
