package dev.ringsweep.token;

import static java.lang.Long.MAX_VALUE;
import static java.lang.Long.MIN_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Edge cases of {@link TokenRangeSplitter} and {@link RangePlan}. */
class TokenRangeSplitterTest {

  private static final Replica A = RandomRings.POOL.get(0);
  private static final Replica B = RandomRings.POOL.get(1);
  private static final Replica C = RandomRings.POOL.get(3);

  @Test
  void should_reject_a_target_below_one() {
    List<TokenRange> ring = List.of(TokenRange.fullRing(List.of(A)));

    assertThatThrownBy(() -> TokenRangeSplitter.split(ring, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: 0 (must be > 0)");
    assertThatThrownBy(() -> TokenRangeSplitter.split(ring, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: -5 (must be > 0)");
  }

  @Test
  void should_reject_a_ring_with_a_gap() {
    List<TokenRange> ring = List.of(TokenRange.of(0, 10), TokenRange.of(20, 0));

    assertThatThrownBy(() -> TokenRangeSplitter.split(ring, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid ring of 2 ranges: they must cover the ring exactly once, but gap: tokens [11, 20] "
            + "are in no range");
  }

  @Test
  void should_reject_a_ring_with_an_overlap() {
    List<TokenRange> ring = List.of(TokenRange.of(0, 10), TokenRange.of(5, 0));

    assertThatThrownBy(() -> TokenRangeSplitter.split(ring, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid ring of 2 ranges: they must cover the ring exactly once, but overlap: "
            + "token 6 is in more than one range");
  }

  @Test
  void should_reject_a_ring_that_covers_the_ring_twice_or_not_at_all() {
    assertThatThrownBy(() -> TokenRangeSplitter.split(List.of(TokenRange.of(3, 3), TokenRange.of(9, 9)), 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> TokenRangeSplitter.split(List.of(), 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid ring of 0 ranges: they must cover the ring exactly once, but no ranges at all");
  }

  @Test
  void should_split_a_one_range_ring_into_the_target() {
    RangePlan plan = TokenRangeSplitter.split(List.of(new TokenRange(42, 42, List.of(A, B))), 4);

    assertThat(plan.pieceCount()).isEqualTo(4);
    assertThat(plan.groups()).singleElement().satisfies(g -> assertThat(g.replicas()).containsExactly(A, B));
    TokenRangeSplitterPropertyTest.assertCoversRingExactlyOnce(plan.pieces(), "whole ring (42, 42]");
  }

  @Test
  void should_give_every_range_at_least_one_piece() {
    List<TokenRange> ring = List.of(
        new TokenRange(0, 1, List.of(A)), new TokenRange(1, MAX_VALUE, List.of(B)),
        new TokenRange(MIN_VALUE, 0, List.of(C)));

    RangePlan plan = TokenRangeSplitter.split(ring, 1);

    assertThat(plan.pieces()).containsExactlyElementsOf(ring);
  }

  @Test
  void should_group_by_replica_set_in_order_of_first_appearance_keeping_the_first_replica_order() {
    List<TokenRange> ring = List.of(
        new TokenRange(MIN_VALUE, -100, List.of(B, A)), new TokenRange(-100, 0, List.of(C)),
        new TokenRange(0, 100, List.of(A, B)), new TokenRange(100, MAX_VALUE, List.of(C)));

    RangePlan plan = TokenRangeSplitter.split(ring, 1); // one piece per range

    assertThat(plan.groups()).extracting(ReplicaGroup::replicas).containsExactly(List.of(B, A), List.of(C));
    assertThat(plan.groups().get(0).pieces()).containsExactly(ring.get(0), ring.get(2));
    assertThat(plan.groups().get(1).pieces()).containsExactly(ring.get(1), ring.get(3));
    assertThat(plan.pieces()).containsExactly(ring.get(0), ring.get(2), ring.get(1), ring.get(3));
    assertThat(plan.interleaved()).containsExactly(ring.get(0), ring.get(1), ring.get(2), ring.get(3));
    assertThat(plan.ring()).isEqualTo(ring);
  }

  @Test
  void should_make_the_same_plan_for_the_same_input() {
    List<TokenRange> ring = RandomRings.ring(new Random(7), 300);

    RangePlan first = TokenRangeSplitter.split(ring, 5000);
    RangePlan second = TokenRangeSplitter.split(new ArrayList<>(ring), 5000);

    assertThat(second).isEqualTo(first);
    assertThat(second.interleaved()).isEqualTo(first.interleaved());
  }

  @Test
  void should_survive_a_java_serialization_round_trip() throws IOException, ClassNotFoundException {
    RangePlan plan = TokenRangeSplitter.split(RandomRings.ring(new Random(11), 50), 200);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(plan);
    }
    RangePlan copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (RangePlan) in.readObject();
    }

    assertThat(copy.ring()).containsExactlyElementsOf(plan.ring());
    assertThat(copy.groups()).hasSameSizeAs(plan.groups());
    for (int g = 0; g < plan.groups().size(); g++) {
      ReplicaGroup original = plan.groups().get(g);
      ReplicaGroup copied = copy.groups().get(g);
      assertThat(copied.replicas()).containsExactlyElementsOf(original.replicas());
      for (int p = 0; p < original.pieces().size(); p++) {
        TokenRange piece = original.pieces().get(p);
        TokenRange copiedPiece = copied.pieces().get(p);
        assertThat(copiedPiece.start()).isEqualTo(piece.start());
        assertThat(copiedPiece.end()).isEqualTo(piece.end());
        assertThat(copiedPiece.replicas()).containsExactlyElementsOf(piece.replicas());
      }
      assertThat(copied.pieces()).hasSameSizeAs(original.pieces());
    }
    assertThat(copy).isEqualTo(plan);
  }
}
