package dev.ringsweep.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The mapping from {@code system.tablets} rows to token ranges and replicas, on tablet maps built by hand after
 * ScyllaDB's documented schema (no ScyllaDB server runs here).
 */
class TabletMapSourceTest {

  private static final UUID H1 = new UUID(0, 1);
  private static final UUID H2 = new UUID(0, 2);
  private static final UUID H3 = new UUID(0, 3);
  private static final Replica R1 = new Replica(H1, "127.0.0.1:9042", "dc1");
  private static final Replica R2 = new Replica(H2, "127.0.0.2:9042", "dc2");
  private static final Replica R3 = new Replica(H3, "127.0.0.3:9042", "dc1");
  private static final Map<UUID, Replica> NODES = Map.of(H1, R1, H2, R2, H3, R3);

  private static TabletMapSource.Tablet tablet(long lastToken, UUID... hosts) {
    return new TabletMapSource.Tablet(lastToken, List.of(hosts));
  }

  private static List<TokenRange> ranges(List<TabletMapSource.Tablet> tablets, String localDc) {
    return TabletMapSource.ranges(tablets, NODES::get, localDc, "ks.t");
  }

  @Test
  void should_give_tablet_i_the_tokens_after_the_previous_last_token_up_to_its_own() {
    List<TokenRange> ranges = ranges(List.of(
        tablet(-100, H1), tablet(0, H2), tablet(Long.MAX_VALUE, H3)), null);

    assertThat(ranges).containsExactly(
        new TokenRange(Long.MIN_VALUE, -100, List.of(R1)),
        new TokenRange(-100, 0, List.of(R2)),
        new TokenRange(0, Long.MAX_VALUE, List.of(R3)));
    assertThat(RingCheck.findProblem(ranges)).isEmpty();
  }

  @Test
  void should_include_the_minimum_token_in_the_first_tablet() {
    List<TokenRange> ranges = ranges(List.of(tablet(-100, H1), tablet(Long.MAX_VALUE, H2)), null);

    assertThat(ranges.get(0).firstToken()).isEqualTo(Long.MIN_VALUE);
    assertThat(ranges.get(0).size().add(ranges.get(1).size())).isEqualTo(TokenRange.RING_SIZE);
  }

  @Test
  void should_map_a_single_tablet_to_the_whole_ring() {
    List<TokenRange> ranges = ranges(List.of(tablet(Long.MAX_VALUE, H1, H2)), null);

    assertThat(ranges).hasSize(1);
    assertThat(ranges.get(0).size()).isEqualTo(TokenRange.RING_SIZE);
    assertThat(ranges.get(0).replicas()).containsExactly(R1, R2);
  }

  @Test
  void should_accept_rows_in_any_order() {
    List<TabletMapSource.Tablet> tablets = new ArrayList<>(List.of(
        tablet(Long.MAX_VALUE, H3), tablet(-5, H1), tablet(7, H2), tablet(Long.MIN_VALUE + 1, H1)));

    assertThat(ranges(tablets, null)).extracting(TokenRange::end)
        .containsExactly(Long.MIN_VALUE + 1, -5L, 7L, Long.MAX_VALUE);
  }

  @Test
  void should_list_replicas_of_the_local_datacenter_first() {
    List<TokenRange> ranges = ranges(List.of(tablet(Long.MAX_VALUE, H2, H3, H1)), "dc1");

    assertThat(ranges.get(0).replicas()).containsExactly(R1, R3, R2);
    assertThat(ranges(List.of(tablet(Long.MAX_VALUE, H3, H1, H2)), "dc2").get(0).replicas())
        .containsExactly(R2, R1, R3);
  }

  @Test
  void should_cover_the_ring_exactly_once_for_random_tablet_maps() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int count = 1 + random.nextInt(512);
      List<Long> lasts = new ArrayList<>();
      while (lasts.size() < count - 1) {
        long t = random.nextLong();
        if (t != Long.MIN_VALUE && t != Long.MAX_VALUE && !lasts.contains(t)) {
          lasts.add(t);
        }
      }
      lasts.add(Long.MAX_VALUE);
      Collections.shuffle(lasts, random);
      List<TabletMapSource.Tablet> tablets = new ArrayList<>();
      lasts.forEach(t -> tablets.add(tablet(t, H1)));

      List<TokenRange> ranges = ranges(tablets, null);

      assertThat(ranges).hasSize(count);
      assertThat(RingCheck.findProblem(ranges)).isEmpty();
      assertThat(ranges.stream().map(TokenRange::size).reduce(BigInteger.ZERO, BigInteger::add))
          .isEqualTo(TokenRange.RING_SIZE);
    }
  }

  @Test
  void should_refuse_a_map_whose_last_tablet_does_not_end_at_the_maximum_token() {
    assertThatThrownBy(() -> ranges(List.of(tablet(-100, H1), tablet(500, H2)), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Invalid tablet map of ks.t: the last tablet ends at token 500, not 9223372036854775807 "
            + "(tokens after it are in no tablet)");
  }

  @Test
  void should_refuse_two_tablets_ending_at_the_same_token() {
    assertThatThrownBy(() -> ranges(List.of(tablet(5, H1), tablet(5, H2), tablet(Long.MAX_VALUE, H3)), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Invalid tablet map of ks.t: two tablets end at token 5");
  }

  @Test
  void should_refuse_a_tablet_without_replicas_and_name_its_token() {
    assertThatThrownBy(() -> ranges(List.of(tablet(5, H1), tablet(Long.MAX_VALUE)), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Invalid tablet map of ks.t: the tablet ending at token 9223372036854775807 has no replica");
  }

  @Test
  void should_name_a_replica_host_the_driver_does_not_know() {
    UUID stranger = new UUID(9, 9);
    assertThatThrownBy(() -> ranges(List.of(tablet(Long.MAX_VALUE, H1, stranger)), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has a replica on host " + stranger + ", which is not among the driver's nodes");
  }

  @Test
  void should_refuse_an_empty_tablet_map_and_a_tablet_ending_at_the_origin() {
    assertThatThrownBy(() -> ranges(List.of(), null)).hasMessage("Table ks.t has no tablets");
    assertThatThrownBy(() -> ranges(List.of(tablet(Long.MIN_VALUE, H1), tablet(Long.MAX_VALUE, H1)), null))
        .hasMessageContaining("a tablet ends at token -9223372036854775808, the origin of the ring");
  }

  @Test
  void should_refuse_the_keyspace_level_form_since_tablets_are_per_table() {
    assertThatThrownBy(() -> new TabletMapSource().discover(null,
        com.datastax.oss.driver.api.core.CqlIdentifier.fromCql("ks"), null))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("Keyspace ks: tablets are per table; plan a table, not a keyspace");
  }
}
