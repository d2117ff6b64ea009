package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.FunctionFailureException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one taxonomy of request errors, for reads (count, export, checksum) and writes (the BatchWriter): what a retry
 * may fix, what a smaller request may fix, and what neither fixes.
 */
public final class Errors {

  private Errors() {}

  /** How an error is handled. */
  public enum Kind {
    /**
     * The request took too long (client or server timeout) or a replica failed to read it: retry, then make it
     * smaller (split the range, shrink the page).
     */
    TIMEOUT,
    /** Not enough replicas alive, a replica overloaded, no node reachable: retry after a pause, then give up. */
    TRANSIENT,
    /** Give up at once: retrying cannot help (bad query, no permission, …). */
    FATAL
  }

  /** The kind of {@code error}, after unwrapping the futures' wrappers. */
  public static Kind classify(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof ReadTimeoutException
        || e instanceof DriverTimeoutException
        || e instanceof ReadFailureException
        || e instanceof WriteTimeoutException) {
      return Kind.TIMEOUT;
    }
    // NoNodeAvailableException is an AllNodesFailedException.
    if (e instanceof UnavailableException
        || e instanceof OverloadedException
        || e instanceof AllNodesFailedException) {
      return Kind.TRANSIENT;
    }
    return Kind.FATAL;
  }

  /**
   * Whether retrying a request that failed with {@code error} can help: timeouts, read failures, unavailable or
   * overloaded replicas, no node reachable. Authorization, syntax and other request errors are not retryable.
   */
  public static boolean isRetryable(Throwable error) {
    return classify(error) != Kind.FATAL;
  }

  /** Whether {@code error} is a timeout (or a read failure), after which a range is split once retries are spent. */
  public static boolean isTimeout(Throwable error) {
    return classify(error) == Kind.TIMEOUT;
  }

  /** The native protocol's read-failure reason for a failure the replica did not name. */
  static final int REASON_UNKNOWN = 0x0000;

  /** The native protocol's read-failure reason for a replica that timed out (Cassandra 4.0+). */
  static final int REASON_TIMEOUT = 0x0002;

  /**
   * Whether the server answered that a read took longer than its timeout: the read is too big for one request (as
   * opposed to a client-side timeout, where no answer came at all). This is what makes a piece fall back, and a
   * paged read ask for smaller pages.
   *
   * <p>The server says so in one of two ways. Either the coordinator stopped waiting ({@link ReadTimeoutException}),
   * or a replica gave up on the read first: Cassandra 4.0+ aborts a read that runs past its timeout, and when the
   * aborted read is the coordinator's own local one it answers {@link ReadFailureException} with the reason
   * {@code UNKNOWN} (or {@code TIMEOUT}), which of the two wins being a race. So a read failure counts as a server
   * timeout when no replica gave any other reason; a named reason (too many tombstones, a read too large, a missing
   * index, ...) does not, since a smaller request rarely fixes it. Under protocol v4 a read failure carries no
   * reasons at all and counts as a server timeout as well. The cost of a genuine failure mistaken for one is a
   * bounded number of smaller attempts before the same error is reported.
   */
  public static boolean isServerTimeout(Throwable error) {
    Throwable e = unwrap(error);
    if (e instanceof ReadTimeoutException) {
      return true;
    }
    if (e instanceof ReadFailureException failure) {
      return failure.getReasonMap().values().stream()
          .allMatch(reason -> reason != null && (reason == REASON_UNKNOWN || reason == REASON_TIMEOUT));
    }
    return false;
  }

  /**
   * The server refused the request for what is in it (invalid values, a too-large batch, a failing function): no
   * retry fixes it, but the other statements of a batch may well be fine on their own. A missing permission is not
   * the statement's fault: every statement on that table would fail alike, so it is not bisected.
   */
  public static boolean isCausedByStatement(Throwable error) {
    Throwable e = unwrap(error);
    return (e instanceof QueryValidationException && !(e instanceof UnauthorizedException))
        || e instanceof FunctionFailureException;
  }

  /** The error inside the {@link CompletionException} and {@link ExecutionException} wrappers of futures. */
  public static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
