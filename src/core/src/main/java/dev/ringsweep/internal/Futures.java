package dev.ringsweep.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Waiting for a stage the way a synchronous API should: the real exception, not a wrapper. */
public final class Futures {

  private Futures() {}

  /**
   * Waits for {@code stage} and returns its value. Its failure is rethrown unwrapped (without the
   * {@link ExecutionException} / {@link CompletionException} layers), so that callers see the real exception type; an
   * interrupt cancels the stage and keeps the thread's interrupt flag.
   */
  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      stage.toCompletableFuture().cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the operation", e);
    } catch (ExecutionException e) {
      Throwable cause = Errors.unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
