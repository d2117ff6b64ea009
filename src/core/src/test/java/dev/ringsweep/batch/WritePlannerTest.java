package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.metadata.EndPoint;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WritePlannerTest {

  private static final String INSERT = "INSERT INTO ks.rows (k, c, v) VALUES (?, ?, ?)";

  private static WritePlanner planner(BatchMode mode, int maxStatements, int maxBytes) {
    BatchWriterOptions options = new BatchWriterOptions(mode, Grouping.PARTITION_KEY, maxStatements, 50, maxBytes,
        8, Double.POSITIVE_INFINITY, 3, Duration.ofMillis(1), Duration.ofMillis(1));
    StatementClassifier classifier = new StatementClassifier(
        (keyspace, table) -> Optional.of(table.asInternal().equals("counts")), null);
    SizeEstimator sizes = new SizeEstimator(CodecRegistry.DEFAULT, ProtocolVersion.DEFAULT);
    return new WritePlanner(options, classifier, sizes, Optional::empty, false);
  }

  private static WritePlanner planner(BatchMode mode) {
    return planner(mode, 100, 40 * 1024);
  }

  /** A row of partition {@code k}, routed like a bound statement of a prepared INSERT would be. */
  private static SimpleStatement row(int k, int c, String v) {
    return SimpleStatement.builder(INSERT).addPositionalValues(k, c, v)
        .setRoutingKeyspace("ks").setRoutingKey(ByteBuffer.allocate(4).putInt(0, k)).setIdempotence(true).build();
  }

  private static SimpleStatement counter(int k) {
    return SimpleStatement.builder("UPDATE ks.counts SET n = n + 1 WHERE k = ?").addPositionalValue(k)
        .setRoutingKeyspace("ks").setRoutingKey(ByteBuffer.allocate(4).putInt(0, k)).build();
  }

  @Test
  void should_batch_unlogged_statements_per_partition_in_input_order() {
    List<BatchableStatement<?>> rows = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < 3; k++) {
        rows.add(row(k, c, "v"));
      }
    }
    WritePlanner.Plan plan = planner(BatchMode.UNLOGGED).planWrite(rows);
    assertThat(plan.fellBack()).isFalse();
    assertThat(plan.batches()).hasSize(3);
    for (int k = 0; k < 3; k++) {
      PlannedBatch batch = plan.batches().get(k);
      assertThat(batch.kind()).isEqualTo(BatchKind.UNLOGGED);
      assertThat(batch.statements()).containsExactly(rows.get(k), rows.get(3 + k), rows.get(6 + k));
      assertThat(batch.splittable()).isTrue();
      assertThat(((BatchStatement) batch.toStatement()).getBatchType()).isEqualTo(DefaultBatchType.UNLOGGED);
    }
  }

  @Test
  void should_send_a_group_of_one_and_a_statement_without_routing_key_as_plain_statements() {
    SimpleStatement unrouted = SimpleStatement.newInstance(INSERT, 9, 9, "x");
    List<BatchableStatement<?>> input = List.of(row(1, 1, "a"), unrouted, row(2, 1, "b"), row(2, 2, "c"));
    List<PlannedBatch> batches = planner(BatchMode.UNLOGGED).planWrite(input).batches();
    assertThat(batches).extracting(PlannedBatch::kind)
        .containsExactly(BatchKind.CONCURRENT, BatchKind.CONCURRENT, BatchKind.UNLOGGED);
    assertThat(batches.get(0).toStatement()).isSameAs(input.get(0));
    // Not idempotent (it does not say, and the driver's default is false): sent marked so, otherwise the same.
    assertThat(batches.get(1).toStatement()).isEqualTo(unrouted.setIdempotent(false));
  }

  @Test
  void should_keep_statements_with_different_query_timestamps_in_different_batches() {
    List<BatchableStatement<?>> input = List.of(row(1, 1, "a").setQueryTimestamp(100),
        row(1, 2, "b").setQueryTimestamp(200), row(1, 3, "c").setQueryTimestamp(100));
    List<PlannedBatch> batches = planner(BatchMode.UNLOGGED).planWrite(input).batches();
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0).statements()).containsExactly(input.get(0), input.get(2));
    assertThat(batches.get(0).toStatement().getQueryTimestamp()).isEqualTo(100);
    assertThat(batches.get(1).statements()).containsExactly(input.get(1));
  }

  @Test
  void should_cut_a_partition_at_the_statement_count_and_the_byte_cap() {
    List<BatchableStatement<?>> input = new ArrayList<>();
    for (int c = 0; c < 7; c++) {
      input.add(row(1, c, "v"));
    }
    assertThat(planner(BatchMode.UNLOGGED, 3, 40 * 1024).planWrite(input).batches())
        .extracting(PlannedBatch::size).containsExactly(3, 3, 1);
    List<BatchableStatement<?>> large = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      large.add(row(1, c, "x".repeat(1500)));
    }
    long each = new SizeEstimator(CodecRegistry.DEFAULT, ProtocolVersion.DEFAULT).estimate(large.get(0));
    assertThat(each).isBetween(1500L, 2000L);
    // a 4 KiB cap holds two of them
    assertThat(planner(BatchMode.UNLOGGED, 100, 4096).planWrite(large).batches())
        .extracting(PlannedBatch::size).containsExactly(2, 2, 1);
  }

  @Test
  void should_batch_logged_statements_across_partitions_in_input_order() {
    List<BatchableStatement<?>> input = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      input.add(row(k, 0, "v"));
    }
    List<PlannedBatch> batches = planner(BatchMode.LOGGED, 2, 40 * 1024).planWrite(input).batches();
    assertThat(batches).extracting(PlannedBatch::statements)
        .containsExactly(input.subList(0, 2), input.subList(2, 4), input.subList(4, 5));
    assertThat(batches.get(0).kind()).isEqualTo(BatchKind.LOGGED);
    assertThat(batches.get(0).idempotent()).isTrue();
  }

  @Test
  void should_send_every_statement_alone_without_batches() {
    List<BatchableStatement<?>> input = List.of(row(1, 1, "a"), row(1, 2, "b"), counter(3));
    WritePlanner.Plan plan = planner(BatchMode.NONE).planWrite(input);
    assertThat(plan.fellBack()).isFalse();
    assertThat(plan.batches()).extracting(PlannedBatch::kind).containsOnly(BatchKind.CONCURRENT);
    assertThat(plan.batches()).extracting(PlannedBatch::idempotent).containsExactly(true, true, false);
  }

  @Test
  void should_fall_back_to_concurrent_statements_when_reads_are_among_the_writes() {
    List<BatchableStatement<?>> input =
        List.of(row(1, 1, "a"), SimpleStatement.newInstance("SELECT * FROM ks.rows"), row(1, 2, "b"));
    WritePlanner.Plan plan = planner(BatchMode.UNLOGGED).planWrite(input);
    assertThat(plan.fellBack()).isTrue();
    assertThat(plan.batches()).extracting(PlannedBatch::kind).containsOnly(BatchKind.CONCURRENT);
    assertThat(plan.batches()).flatExtracting(PlannedBatch::statements).containsExactlyElementsOf(input);
  }

  @Test
  void should_reject_counter_updates_outside_a_counter_writer() {
    assertThatThrownBy(() -> planner(BatchMode.UNLOGGED).planWrite(List.of(row(1, 1, "a"), counter(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot mix counter and non-counter statements: statement 1 is a counter update, which needs "
            + "BatchMode.COUNTER (the writer's mode is UNLOGGED): UPDATE ks.counts SET n = n + 1 WHERE k = ?");
  }

  @Test
  void should_reject_other_writes_in_a_counter_writer_and_never_retry_counters() {
    assertThatThrownBy(() -> planner(BatchMode.COUNTER).planWrite(List.of(counter(1), row(1, 1, "a"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot mix counter and non-counter statements: statement 1 is not a counter update but the "
            + "writer's mode is COUNTER: " + INSERT);
    List<PlannedBatch> batches = planner(BatchMode.COUNTER)
        .planWrite(List.of(counter(1), counter(1), counter(2))).batches();
    assertThat(batches).extracting(PlannedBatch::kind).containsExactly(BatchKind.COUNTER, BatchKind.CONCURRENT);
    assertThat(batches).extracting(PlannedBatch::idempotent).containsOnly(false);
  }

  @Test
  void should_mark_a_lone_counter_update_not_idempotent_whatever_the_driver_default() {
    BatchWriterOptions options = new BatchWriterOptions(BatchMode.COUNTER, Grouping.PARTITION_KEY, 100, 50,
        40 * 1024, 8, Double.POSITIVE_INFINITY, 3, Duration.ofMillis(1), Duration.ofMillis(1));
    StatementClassifier classifier = new StatementClassifier(
        (keyspace, table) -> Optional.of(table.asInternal().equals("counts")), null);
    // The driver's default idempotence is true (basic.request.default-idempotence), and the update does not say.
    WritePlanner idempotentByDefault = new WritePlanner(options, classifier,
        new SizeEstimator(CodecRegistry.DEFAULT, ProtocolVersion.DEFAULT), Optional::empty, true);
    SimpleStatement update = counter(2);
    assertThat(update.isIdempotent()).isNull();

    List<PlannedBatch> batches = idempotentByDefault.planWrite(List.of(update)).batches();

    assertThat(batches).singleElement().extracting(PlannedBatch::idempotent).isEqualTo(false);
    assertThat(batches.get(0).toStatement().isIdempotent()).isFalse();
    assertThat(((SimpleStatement) batches.get(0).toStatement()).getQuery()).isEqualTo(update.getQuery());
    // A write that is idempotent goes as it is.
    BatchableStatement<?> row = row(1, 1, "a");
    assertThat(planner(BatchMode.UNLOGGED).planWrite(List.of(row)).batches().get(0).toStatement()).isSameAs(row);
  }

  @Test
  void should_write_a_unit_as_one_unsplittable_batch() {
    List<BatchableStatement<?>> unit = List.of(row(1, 1, "a"), row(2, 1, "b"), row(3, 1, "c"));
    List<PlannedBatch> batches = planner(BatchMode.LOGGED).planUnit(unit).batches();
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0).statements()).containsExactlyElementsOf(unit);
    assertThat(batches.get(0).kind()).isEqualTo(BatchKind.LOGGED);
    assertThat(batches.get(0).splittable()).isFalse();
  }

  @Test
  void should_reject_a_unit_that_cannot_be_one_batch() {
    List<BatchableStatement<?>> unit = List.of(row(1, 1, "a"), row(2, 1, "b"), row(3, 1, "c"));
    assertThatThrownBy(() -> planner(BatchMode.LOGGED, 2, 40 * 1024).planUnit(unit))
        .hasMessage("Unit too large: 3 statements (must be <= maxStatementsPerBatch 2)");
    List<BatchableStatement<?>> big = List.of(row(1, 1, "x".repeat(1000)), row(2, 1, "x".repeat(1000)));
    assertThatThrownBy(() -> planner(BatchMode.LOGGED, 100, 1024).planUnit(big))
        .hasMessageStartingWith("Unit too large: about ").hasMessageEndingWith(" bytes (must be <= maxBatchBytes 1024)");
    assertThatThrownBy(() -> planner(BatchMode.LOGGED).planUnit(
        List.of(row(1, 1, "a"), SimpleStatement.newInstance("SELECT * FROM ks.rows"))))
        .hasMessage("A unit is written as one batch and cannot contain statement 1: SELECT * FROM ks.rows (only "
            + "INSERT, UPDATE and DELETE without conditions can go in a batch)");
    assertThatThrownBy(() -> planner(BatchMode.NONE).planUnit(unit))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A BatchMode.NONE writer sends no batches: write a unit with a LOGGED writer");
  }

  @Test
  void should_carry_the_first_statement_settings_onto_the_batch() {
    List<BatchableStatement<?>> input = List.of(
        row(1, 1, "a").setConsistencyLevel(DefaultConsistencyLevel.QUORUM).setQueryTimestamp(42),
        row(1, 2, "b").setConsistencyLevel(DefaultConsistencyLevel.QUORUM).setQueryTimestamp(42),
        row(1, 3, "c").setConsistencyLevel(DefaultConsistencyLevel.ONE).setQueryTimestamp(42));
    List<PlannedBatch> batches = planner(BatchMode.UNLOGGED).planWrite(input).batches();
    assertThat(batches).extracting(PlannedBatch::size).containsExactly(2, 1);
    BatchStatement batch = (BatchStatement) batches.get(0).toStatement();
    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.getConsistencyLevel()).isEqualTo(DefaultConsistencyLevel.QUORUM);
    assertThat(batch.getQueryTimestamp()).isEqualTo(42);
    assertThat(batch.isIdempotent()).isTrue();
  }

  // The replica set of each request, for a writer whose adaptive limit is per replica set.

  /** A stand-in for the driver's {@code interfaceType}: {@code answer} gives each method's result by name. */
  @SuppressWarnings("unchecked")
  private static <T> T fake(Class<T> interfaceType, java.util.function.BiFunction<String, Object[], Object> answer) {
    return (T) Proxy.newProxyInstance(WritePlannerTest.class.getClassLoader(), new Class<?>[] {interfaceType},
        (proxy, method, args) -> switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          case "toString" -> interfaceType.getSimpleName();
          default -> answer.apply(method.getName(), args);
        });
  }

  private static Node node(int last) {
    InetSocketAddress address;
    try {
      address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}), 9042);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    EndPoint endPoint = fake(EndPoint.class, (name, args) -> address);
    return fake(Node.class, (name, args) -> switch (name) {
      case "getEndPoint" -> endPoint;
      case "getDatacenter" -> "dc1";
      default -> throw new UnsupportedOperationException(name);
    });
  }

  private static final Node N1 = node(1);
  private static final Node N2 = node(2);
  private static final Node N3 = node(3);

  /** A ring of two token ranges: even partitions on nodes 1 and 2, odd ones on nodes 2 and 3. */
  private static TokenMap ring() {
    TokenRange even = fake(TokenRange.class, (name, args) -> null);
    TokenRange odd = fake(TokenRange.class, (name, args) -> null);
    return fake(TokenMap.class, (name, args) -> switch (name) {
      case "getTokenRanges" -> Set.of(even, odd);
      case "getReplicas" -> args[1] instanceof ByteBuffer key
          ? (key.getInt(0) % 2 == 0 ? Set.of(N1, N2) : Set.of(N2, N3))
          : (args[1] == even ? Set.of(N1, N2) : Set.of(N2, N3));
      default -> throw new UnsupportedOperationException(name);
    });
  }

  private static BatchWriterOptions replicaSetOptions(BatchMode mode) {
    return new BatchWriterOptions(mode, Grouping.PARTITION_KEY, 100, 50, 40 * 1024,
        8, dev.ringsweep.ConcurrencyMode.ADAPTIVE, Double.POSITIVE_INFINITY, 3, Duration.ofMillis(1),
        Duration.ofMillis(1));
  }

  private static WritePlanner replicaSetPlanner(BatchMode mode, boolean namesReplicaSets) {
    BatchWriterOptions options = replicaSetOptions(mode);
    StatementClassifier classifier = new StatementClassifier((keyspace, table) -> Optional.of(false), null);
    SizeEstimator sizes = new SizeEstimator(CodecRegistry.DEFAULT, ProtocolVersion.DEFAULT);
    TokenMap ring = ring();
    return new WritePlanner(options, classifier, sizes, () -> Optional.of(ring), false, namesReplicaSets);
  }

  @Test
  void should_name_the_replica_set_of_each_request_and_how_many_the_ring_has() {
    List<BatchableStatement<?>> rows = List.of(row(0, 0, "v"), row(1, 0, "v"), row(2, 0, "v"));

    WritePlanner.Plan plan = replicaSetPlanner(BatchMode.UNLOGGED, true).planWrite(rows);

    assertThat(plan.batches()).extracting(PlannedBatch::replicaSet).containsExactly(
        new PlannedBatch.ReplicaSet("127.0.0.1:9042@dc1, 127.0.0.2:9042@dc1", 2),
        new PlannedBatch.ReplicaSet("127.0.0.2:9042@dc1, 127.0.0.3:9042@dc1", 2),
        new PlannedBatch.ReplicaSet("127.0.0.1:9042@dc1, 127.0.0.2:9042@dc1", 2));
  }

  @Test
  void should_name_each_replica_set_once_per_token_map() {
    TokenMap[] current = {ring()};
    WritePlanner planner = new WritePlanner(replicaSetOptions(BatchMode.UNLOGGED), new StatementClassifier(
        (keyspace, table) -> Optional.of(false), null), new SizeEstimator(CodecRegistry.DEFAULT,
        ProtocolVersion.DEFAULT), () -> Optional.of(current[0]), false, true);

    PlannedBatch.ReplicaSet first = planner.planWrite(List.of(row(0, 0, "v"))).batches().get(0).replicaSet();
    PlannedBatch.ReplicaSet again = planner.planWrite(List.of(row(2, 0, "v"))).batches().get(0).replicaSet();
    current[0] = ring(); // the ring changed: a new token map
    PlannedBatch.ReplicaSet afterChange = planner.planWrite(List.of(row(0, 0, "v"))).batches().get(0).replicaSet();

    assertThat(again).isSameAs(first);
    assertThat(afterChange).isEqualTo(first).isNotSameAs(first);
  }

  @Test
  void should_put_a_batch_across_replica_sets_in_a_set_of_its_own() {
    List<BatchableStatement<?>> rows = List.of(row(0, 0, "v"), row(1, 0, "v"));

    WritePlanner.Plan plan = replicaSetPlanner(BatchMode.LOGGED, true).planWrite(rows);

    assertThat(plan.batches()).singleElement().extracting(PlannedBatch::replicaSet)
        .isEqualTo(new PlannedBatch.ReplicaSet("requests across replica sets", 1));
  }

  @Test
  void should_not_look_up_replica_sets_when_the_writer_has_one_limit() {
    WritePlanner.Plan plan = replicaSetPlanner(BatchMode.UNLOGGED, false).planWrite(List.of(row(0, 0, "v")));

    assertThat(plan.batches()).singleElement().extracting(PlannedBatch::replicaSet).isNull();
  }
}
