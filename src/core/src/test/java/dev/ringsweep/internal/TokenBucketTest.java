package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void should_space_reservations_at_the_configured_rate() {
    AtomicLong now = new AtomicLong(1_000 * MS);
    TokenBucket bucket = new TokenBucket(100, now::get); // 100 statements/s: 10 ms each
    assertThat(bucket.reserve(10)).isZero();
    assertThat(bucket.reserve(10)).isEqualTo(100 * MS);
    assertThat(bucket.reserve(5)).isEqualTo(200 * MS);
    assertThat(bucket.reserve(1)).isEqualTo(250 * MS);
  }

  @Test
  void should_not_store_a_burst_while_idle() {
    AtomicLong now = new AtomicLong(0);
    TokenBucket bucket = new TokenBucket(100, now::get);
    bucket.reserve(10);
    now.addAndGet(10_000 * MS); // idle for 10 s
    assertThat(bucket.reserve(10)).isZero();
    assertThat(bucket.reserve(10)).isEqualTo(100 * MS);
  }

  @Test
  void should_count_time_already_waited() {
    AtomicLong now = new AtomicLong(0);
    TokenBucket bucket = new TokenBucket(100, now::get);
    bucket.reserve(10);
    now.addAndGet(60 * MS);
    assertThat(bucket.reserve(10)).isEqualTo(40 * MS);
  }

  @Test
  void should_reject_a_rate_that_is_not_positive_and_finite() {
    assertThatThrownBy(() -> new TokenBucket(0, System::nanoTime))
        .hasMessage("Invalid rate: 0.0 permits/s (must be > 0 and finite)");
    assertThatThrownBy(() -> new TokenBucket(Double.POSITIVE_INFINITY, System::nanoTime))
        .hasMessage("Invalid rate: Infinity permits/s (must be > 0 and finite)");
  }
}
