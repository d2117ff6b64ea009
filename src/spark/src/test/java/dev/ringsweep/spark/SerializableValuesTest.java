package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.PartitionField;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.Replica;
import dev.ringsweep.token.ReplicaGroup;
import dev.ringsweep.token.TokenRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The values that travel to executors survive Java serialization; the plan is cut into tasks exactly. No network. */
class SerializableValuesTest {

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void should_carry_connection_options_and_tasks_to_executors_unchanged() throws Exception {
    CassandraConnection connection = CassandraConnection.of(List.of("127.0.0.1:9042"), "dc1")
        .withCredentials("reader", "s3cret").withTls(new CassandraConnection.Tls("/t.jks", "tp", null, null, true));
    TaskPieces task = new TaskPieces(3, List.of(TokenRange.of(-10, 10)), List.of("127.0.0.1"));

    assertThat(roundTrip(connection)).isEqualTo(connection);
    assertThat(roundTrip(SparkOptions.defaults().withTasks(7))).isEqualTo(SparkOptions.defaults().withTasks(7));
    SparkOptions backoff = SparkOptions.defaults().withRetryBackoff(Duration.ofMillis(250));
    assertThat(roundTrip(backoff)).isEqualTo(backoff);
    assertThat(roundTrip(task)).isEqualTo(task);
  }

  @Test
  void should_rebuild_an_iceberg_target_on_an_executor_as_it_was() throws Exception {
    var target = ExportTargets.iceberg(Path.of("/wh"), "db.t").withWriteMode(WriteMode.OVERWRITE)
        .withCompression(ParquetCompression.SNAPPY).withPartitionBy(PartitionField.day("ts"))
        .withTargetFileSizeBytes(1234);

    assertThat(roundTrip(IcebergTableSpec.of(target)).toTarget()).isEqualTo(target);
  }

  @Test
  void should_send_a_catalog_objects_table_to_executors_as_a_copy_that_names_its_catalog() throws Exception {
    var catalog = new org.apache.iceberg.inmemory.InMemoryCatalog();
    catalog.initialize("mem", java.util.Map.of());
    catalog.createNamespace(org.apache.iceberg.catalog.Namespace.of("db"));
    var id = org.apache.iceberg.catalog.TableIdentifier.parse("db.t");
    var schema = new org.apache.iceberg.Schema(
        org.apache.iceberg.types.Types.NestedField.required(1, "k", org.apache.iceberg.types.Types.LongType.get()));
    catalog.createTable(id, schema);
    var source = dev.ringsweep.iceberg.ImportSources.iceberg(catalog, id);

    SplitSource split = roundTrip(SplitSource.of(source, 2));

    assertThat(split.catalog()).as("no connection made this catalog").isNull();
    assertThat(split.describe()).as("named as the caller's source, e.g. in checkpoints").isEqualTo(source.describe());
    assertThat(split.toSource().catalog().loadTable(id).schema().asStruct()).isEqualTo(schema.asStruct());
    assertThatThrownBy(() -> SplitSource.of(dev.ringsweep.iceberg.ImportSources.iceberg(catalog,
        org.apache.iceberg.catalog.TableIdentifier.parse("db.nope")), 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Unknown Iceberg table: db.nope (in catalog mem)");
    // An export's target travels without its table until the driver has opened it.
    IcebergTableSpec spec = roundTrip(IcebergTableSpec.of(ExportTargets.iceberg(catalog, id)));
    assertThat(spec.catalogObject()).isTrue();
    assertThatThrownBy(spec::toTarget).isInstanceOf(IllegalStateException.class).hasMessageContaining("db.t");
  }

  @Test
  void should_cut_every_piece_into_exactly_one_task_of_its_replica_group() {
    List<Replica> a = List.of(new Replica(UUID.randomUUID(), "10.0.0.1:9042", "dc1"),
        new Replica(UUID.randomUUID(), "10.0.0.2:9042", "dc1"));
    List<Replica> b = List.of(new Replica(UUID.randomUUID(), "10.0.0.3:9042", "dc1"));
    List<TokenRange> groupA = new ArrayList<>();
    List<TokenRange> groupB = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      groupA.add(new TokenRange(i * 100L, i * 100L + 50, a));
      groupB.add(new TokenRange(i * 100L + 50, i * 100L + 100, b));
    }
    RangePlan plan = new RangePlan(List.of(), List.of(new ReplicaGroup(a, groupA), new ReplicaGroup(b, groupB)));

    List<TaskPieces> tasks = TaskPieces.cut(plan, 5);

    assertThat(tasks.stream().flatMap(t -> t.pieces().stream()).toList())
        .containsExactlyInAnyOrderElementsOf(plan.pieces());
    assertThat(tasks).extracting(TaskPieces::index).containsExactly(0, 1, 2, 3, 4, 5);
    for (TaskPieces task : tasks) {
      List<String> expected = groupA.contains(task.pieces().get(0)) ? List.of("10.0.0.1", "10.0.0.2")
          : List.of("10.0.0.3");
      assertThat(task.hosts()).isEqualTo(expected);
      assertThat(task.pieces()).allSatisfy(p -> assertThat(p.replicas()).isEqualTo(
          expected.size() == 2 ? a : b));
    }
    assertThat(TaskPieces.cut(plan, 1)).hasSize(2); // never fewer tasks than replica groups
    assertThat(TaskPieces.cut(plan, 100)).hasSize(20); // never more than pieces
  }

  @Test
  void should_number_the_tasks_round_robin_across_replica_groups() {
    List<Replica> a = List.of(new Replica(UUID.randomUUID(), "10.0.0.1:9042", "dc1"));
    List<Replica> b = List.of(new Replica(UUID.randomUUID(), "10.0.0.2:9042", "dc1"));
    List<Replica> c = List.of(new Replica(UUID.randomUUID(), "10.0.0.3:9042", "dc1"));
    List<TokenRange> groupA = new ArrayList<>();
    List<TokenRange> groupB = new ArrayList<>();
    List<TokenRange> groupC = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      groupA.add(new TokenRange(i * 300L, i * 300L + 100, a));
      groupC.add(new TokenRange(i * 300L + 200, i * 300L + 300, c));
    }
    for (int i = 0; i < 2; i++) {
      groupB.add(new TokenRange(i * 300L + 100, i * 300L + 200, b));
    }
    RangePlan plan = new RangePlan(List.of(), List.of(new ReplicaGroup(a, groupA), new ReplicaGroup(b, groupB),
        new ReplicaGroup(c, groupC)));

    List<TaskPieces> tasks = TaskPieces.cut(plan, 7); // two pieces a task: 3, 1 and 3 tasks

    assertThat(tasks).extracting(TaskPieces::index).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(tasks).extracting(t -> t.hosts().get(0))
        .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.3", "10.0.0.1", "10.0.0.3");
    assertThat(tasks).extracting(TaskPieces::pieces).containsExactly(
        groupA.subList(0, 2), groupB, groupC.subList(0, 2), groupA.subList(2, 4), groupC.subList(2, 4),
        groupA.subList(4, 6), groupC.subList(4, 6));
  }
}
