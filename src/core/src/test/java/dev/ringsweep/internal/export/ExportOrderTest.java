package dev.ringsweep.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.Replica;
import dev.ringsweep.token.ReplicaGroup;
import dev.ringsweep.token.TokenCoverage;
import dev.ringsweep.token.TokenRange;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The order in which an export's writers take the planned ranges: round-robin across replica sets, so that the
 * writers read from every node at once rather than from one replica set after another.
 */
class ExportOrderTest {

  private static final long STEP = 1_000_000;

  /** Pieces {@code first} to {@code first + n - 1} of a ring cut into pieces of {@link #STEP} tokens. */
  private static List<TokenRange> pieces(int first, int n) {
    List<TokenRange> pieces = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      pieces.add(TokenRange.of(i * STEP, (i + 1) * STEP));
    }
    return pieces;
  }

  private static ReplicaGroup group(String endpoint, List<TokenRange> pieces) {
    return new ReplicaGroup(List.of(new Replica(UUID.randomUUID(), endpoint, "dc1")), pieces);
  }

  /** Three replica sets holding 3, 2 and 3 pieces, grouped as the splitter plans them. */
  private static RangePlan plan() {
    List<TokenRange> a = pieces(0, 3);
    List<TokenRange> b = pieces(3, 2);
    List<TokenRange> c = pieces(5, 3);
    List<TokenRange> ring = new ArrayList<>(a);
    ring.addAll(b);
    ring.addAll(c);
    return new RangePlan(ring, List.of(group("127.0.0.1:9042", a), group("127.0.0.2:9042", b),
        group("127.0.0.3:9042", c)));
  }

  private static List<TokenRange> planned(List<ExportWorkers.Item> items) {
    return items.stream().map(ExportWorkers.Item::planned).toList();
  }

  @Test
  void should_queue_the_planned_ranges_round_robin_across_replica_sets() {
    RangePlan plan = plan();
    List<TokenRange> a = plan.groups().get(0).pieces();
    List<TokenRange> b = plan.groups().get(1).pieces();
    List<TokenRange> c = plan.groups().get(2).pieces();

    List<ExportWorkers.Item> items = ExportOperation.toExport(plan, new TokenCoverage());

    assertThat(planned(items)).containsExactly(
        a.get(0), b.get(0), c.get(0), a.get(1), b.get(1), c.get(1), a.get(2), c.get(2));
    assertThat(items).allSatisfy(item -> assertThat(item.left()).containsExactly(item.planned()));
  }

  @Test
  void should_skip_what_a_checkpoint_holds_and_keep_the_rest_of_a_part_done_range_in_the_same_order() {
    RangePlan plan = plan();
    List<TokenRange> a = plan.groups().get(0).pieces();
    List<TokenRange> b = plan.groups().get(1).pieces();
    List<TokenRange> c = plan.groups().get(2).pieces();
    TokenCoverage done = new TokenCoverage();
    done.add(b.get(0));
    // The first half of the second piece of the first replica set.
    long start = a.get(1).start();
    done.add(TokenRange.of(start, start + STEP / 2));

    List<ExportWorkers.Item> items = ExportOperation.toExport(plan, done);

    assertThat(planned(items)).containsExactly(
        a.get(0), c.get(0), a.get(1), b.get(1), c.get(1), a.get(2), c.get(2));
    assertThat(items.get(2).left()).containsExactly(TokenRange.of(start + STEP / 2, a.get(1).end()));
  }
}
