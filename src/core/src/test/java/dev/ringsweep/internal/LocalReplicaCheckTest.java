package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.ringsweep.token.Replica;
import dev.ringsweep.token.TokenRange;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The plan's check that a data-center-local consistency level can be met in the local data center. */
class LocalReplicaCheckTest {

  private static final CqlIdentifier KS = CqlIdentifier.fromCql("analytics");
  private static final Replica DC1 = new Replica(new UUID(0, 1), "127.0.0.1:9042", "dc1");
  private static final Replica DC2 = new Replica(new UUID(0, 2), "127.0.0.2:9042", "dc2");
  private static final Replica DC3 = new Replica(new UUID(0, 3), "127.0.0.3:9042", "dc3");
  private static final Replica NO_DC = new Replica(new UUID(0, 4), "127.0.0.4:9042", null);

  private static List<TokenRange> ring(List<Replica> first, List<Replica> second) {
    return List.of(new TokenRange(-10, 10, first), new TokenRange(10, -10, second));
  }

  @Test
  void should_refuse_a_local_consistency_level_when_a_range_has_no_replica_in_the_local_data_center() {
    assertThatThrownBy(() -> RangePlanner.requireLocalReplicas(
            ring(List.of(DC1, DC2), List.of(DC3, DC2)), KS, DefaultConsistencyLevel.LOCAL_ONE, "dc1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Keyspace analytics has no replica in the local data center dc1 (token range (10, -10] has "
            + "replicas only in: dc2, dc3), so consistency level LOCAL_ONE cannot be met: set localDatacenter (and "
            + "the session's local data center) to one of dc2, dc3, or use a consistency level that is not local "
            + "to a data center, such as ONE");
    assertThatThrownBy(() -> RangePlanner.requireLocalReplicas(
            ring(List.of(DC2), List.of(DC2)), KS, DefaultConsistencyLevel.LOCAL_QUORUM, "dc1"))
        .hasMessageContaining("consistency level LOCAL_QUORUM cannot be met");
  }

  @Test
  void should_accept_every_range_with_a_local_replica() {
    assertThatCode(() -> RangePlanner.requireLocalReplicas(
            ring(List.of(DC2, DC1), List.of(DC1)), KS, DefaultConsistencyLevel.LOCAL_ONE, "dc1"))
        .doesNotThrowAnyException();
  }

  @Test
  void should_not_judge_consistency_levels_that_are_not_local_or_a_missing_local_data_center() {
    List<TokenRange> remoteOnly = ring(List.of(DC2), List.of(DC2));
    assertThatCode(() -> RangePlanner.requireLocalReplicas(
            remoteOnly, KS, DefaultConsistencyLevel.ONE, "dc1"))
        .doesNotThrowAnyException();
    assertThatCode(() -> RangePlanner.requireLocalReplicas(
            remoteOnly, KS, DefaultConsistencyLevel.QUORUM, "dc1"))
        .doesNotThrowAnyException();
    assertThatCode(() -> RangePlanner.requireLocalReplicas(
            remoteOnly, KS, DefaultConsistencyLevel.LOCAL_ONE, null))
        .doesNotThrowAnyException();
  }

  @Test
  void should_not_judge_ranges_without_replica_information_or_with_an_unknown_data_center() {
    assertThatCode(() -> RangePlanner.requireLocalReplicas(
            ring(List.of(), List.of(NO_DC, DC2)), KS, DefaultConsistencyLevel.LOCAL_ONE, "dc1"))
        .doesNotThrowAnyException();
  }
}
