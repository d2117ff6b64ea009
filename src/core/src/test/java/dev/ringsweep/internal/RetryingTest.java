package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Work that may be repeated, retried on the errors retrying cures and for as many retries as it is given. */
class RetryingTest {

  private static final Duration BACKOFF = Duration.ofMillis(1);

  @Test
  void should_retry_retryable_failures_until_the_work_succeeds() {
    AtomicInteger attempts = new AtomicInteger();
    String result = Retrying.call(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw new DriverTimeoutException("Query timed out after PT30S");
      }
      return "ring";
    }, 2, BACKOFF, "Discovering the token ranges of ks");

    assertThat(result).isEqualTo("ring");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void should_throw_the_last_error_once_the_retries_are_spent() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> Retrying.call(() -> {
      throw new DriverTimeoutException("Query timed out, attempt " + attempts.incrementAndGet());
    }, 2, BACKOFF, "work"))
        .isInstanceOf(DriverTimeoutException.class)
        .hasMessage("Query timed out, attempt 3");
  }

  @Test
  void should_not_retry_an_error_that_retrying_cannot_cure() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> Retrying.call(() -> {
      attempts.incrementAndGet();
      throw new SyntaxError(null, "line 1:0 no viable alternative");
    }, 5, BACKOFF, "work"))
        .isInstanceOf(SyntaxError.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void should_stop_waiting_to_retry_when_interrupted_and_keep_the_interrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Retrying.call(() -> {
        throw new DriverTimeoutException("Query timed out");
      }, 3, Duration.ofSeconds(10), "Discovering the token ranges of ks"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Interrupted while waiting to retry Discovering the token ranges of ks");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
