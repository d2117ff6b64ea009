package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.FunctionFailureException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sorts the errors a request can end with: transient ones a retry may fix (timeouts, unavailability, overload, no
 * node reachable), and ones caused by a statement itself (the server refused it as invalid), which splitting the
 * batch isolates. Anything else fails the request's statements as they are.
 */
final class Errors {

  private Errors() {}

  /** Timeouts and unavailability: worth retrying an idempotent request after a pause. */
  static boolean isRetryable(Throwable error) {
    return error instanceof WriteTimeoutException
        || error instanceof ReadTimeoutException
        || error instanceof UnavailableException
        || error instanceof OverloadedException
        || error instanceof DriverTimeoutException
        || error instanceof AllNodesFailedException;
  }

  /**
   * The server refused the request for what is in it (invalid values, a too-large batch, a failing function):
   * no retry fixes it, but the other statements of a batch may well be fine on their own. A missing permission is
   * not the statement's fault: every statement on that table would fail alike, so it is not bisected.
   */
  static boolean isCausedByStatement(Throwable error) {
    return (error instanceof QueryValidationException && !(error instanceof UnauthorizedException))
        || error instanceof FunctionFailureException;
  }

  /** The error inside the wrappers that futures put around it. */
  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
