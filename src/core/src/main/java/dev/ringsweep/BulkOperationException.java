package dev.ringsweep;

import dev.ringsweep.token.TokenRange;
import java.util.List;
import java.util.Objects;

/**
 * Thrown when a bulk operation could not process every token range even after retries and splitting.
 *
 * <p>It carries what was achieved ({@link #partialResult()}) and the token ranges that failed
 * ({@link #failedRanges()}), so a caller can report exactly what is missing or retry just those ranges. The
 * {@linkplain #getCause() cause} is the last error of the first range that failed.
 */
public class BulkOperationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Object partialResult;
  private final List<TokenRange> failedRanges;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the operation and table
   * @param partialResult the result over the ranges that succeeded (for a count, a {@link CountResult})
   * @param failedRanges the token ranges that could not be processed
   * @param cause the error of the first failed range
   */
  public BulkOperationException(
      String message, Object partialResult, List<TokenRange> failedRanges, Throwable cause) {
    super(message, cause);
    this.partialResult = Objects.requireNonNull(partialResult, "partialResult");
    this.failedRanges = List.copyOf(failedRanges);
  }

  /**
   * The result over the ranges that succeeded: a {@link CountResult} for a count, the operation's own result type
   * for other operations.
   */
  public Object partialResult() {
    return partialResult;
  }

  /** The partial result cast to the expected type, failing with a clear message if it is another type. */
  public <T> T partialResult(Class<T> type) {
    if (!type.isInstance(partialResult)) {
      throw new IllegalArgumentException(
          "Partial result is a " + partialResult.getClass().getSimpleName() + ", not a " + type.getSimpleName());
    }
    return type.cast(partialResult);
  }

  /** The token ranges that could not be processed, each start-exclusive and end-inclusive. */
  public List<TokenRange> failedRanges() {
    return failedRanges;
  }
}
