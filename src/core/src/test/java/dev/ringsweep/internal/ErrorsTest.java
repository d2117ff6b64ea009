package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which errors count as the server timing out a read, the signal for smaller requests and the count's fallback. */
class ErrorsTest {

  private static final int TOMBSTONES = 0x0001;
  private static final int READ_SIZE = 0x0004;

  private static final InetAddress NODE1 = address(1);
  private static final InetAddress NODE2 = address(2);

  @Test
  void should_count_a_coordinator_read_timeout_as_a_server_timeout() {
    assertThat(Errors.isServerTimeout(new ReadTimeoutException(null, DefaultConsistencyLevel.LOCAL_ONE, 0, 1, false)))
        .isTrue();
  }

  /** What Cassandra 4.0+ answers when the coordinator's own local read is aborted at its timeout. */
  @Test
  void should_count_a_read_failure_for_an_unnamed_reason_as_a_server_timeout() {
    assertThat(Errors.isServerTimeout(readFailure(Map.of(NODE1, Errors.REASON_UNKNOWN)))).isTrue();
    assertThat(Errors.isServerTimeout(new CompletionException(readFailure(Map.of(NODE1, Errors.REASON_UNKNOWN)))))
        .isTrue();
  }

  @Test
  void should_count_a_read_failure_for_timeouts_as_a_server_timeout() {
    assertThat(Errors.isServerTimeout(readFailure(Map.of(NODE1, Errors.REASON_TIMEOUT, NODE2, Errors.REASON_UNKNOWN))))
        .isTrue();
  }

  /** Protocol v4 carries no reasons, only a number of failures. */
  @Test
  void should_count_a_read_failure_without_reasons_as_a_server_timeout() {
    assertThat(Errors.isServerTimeout(readFailure(Map.of()))).isTrue();
  }

  @Test
  void should_not_count_a_read_failure_for_a_named_reason_as_a_server_timeout() {
    assertThat(Errors.isServerTimeout(readFailure(Map.of(NODE1, TOMBSTONES)))).isFalse();
    assertThat(Errors.isServerTimeout(readFailure(Map.of(NODE1, READ_SIZE)))).isFalse();
    assertThat(Errors.isServerTimeout(readFailure(Map.of(NODE1, Errors.REASON_UNKNOWN, NODE2, TOMBSTONES))))
        .isFalse();
  }

  @Test
  void should_not_count_client_side_or_write_timeouts_as_a_server_read_timeout() {
    assertThat(Errors.isServerTimeout(new DriverTimeoutException("no answer"))).isFalse();
    assertThat(Errors.isServerTimeout(
        new WriteTimeoutException(null, DefaultConsistencyLevel.LOCAL_ONE, 0, 1, WriteType.SIMPLE))).isFalse();
    assertThat(Errors.isServerTimeout(new IllegalStateException("bad query"))).isFalse();
  }

  @Test
  void should_treat_every_read_failure_as_a_timeout_to_retry_and_split() {
    assertThat(Errors.classify(readFailure(Map.of(NODE1, TOMBSTONES)))).isEqualTo(Errors.Kind.TIMEOUT);
    assertThat(Errors.classify(readFailure(Map.of(NODE1, Errors.REASON_UNKNOWN)))).isEqualTo(Errors.Kind.TIMEOUT);
  }

  private static ReadFailureException readFailure(Map<InetAddress, Integer> reasons) {
    return new ReadFailureException(null, DefaultConsistencyLevel.LOCAL_ONE, 0, 1, Math.max(1, reasons.size()), false,
        reasons);
  }

  private static InetAddress address(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
