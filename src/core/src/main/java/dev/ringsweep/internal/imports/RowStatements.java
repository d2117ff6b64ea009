package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.internal.Retrying;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The statements that write one converted row: an {@code INSERT} of its columns, null values left unset (so no
 * tombstone is written), or {@code UPDATE ... SET c = c + ?} for a counter table. When the source carries write
 * times and TTLs, the row's columns are grouped by (write time, TTL) and each group is one {@code INSERT ... USING
 * TIMESTAMP ? AND TTL ?}. A row whose clustering columns are all null, with static values and no regular value, is
 * a partition with static values only (as export writes it) and writes just those.
 *
 * <p>Statements are prepared once per shape (static-only or not, with or without timestamp and TTL), at most eight.
 */
final class RowStatements {

  private record Shape(boolean staticOnly, boolean timestamp, boolean ttl) {}

  private final CqlSession session;
  private final ImportPlan plan;
  private final ConsistencyLevel consistency;
  private final OperatorOptions retries;
  /** The codec of each plan column, resolved once (a lookup per value cost about half of binding a row). */
  private final TypeCodec<?>[] codecs;
  private final Map<Shape, PreparedStatement> prepared = new ConcurrentHashMap<>();
  /** Per shape, the bind marker of each plan column (see {@link #positions}), computed once instead of per row. */
  private final Map<Shape, int[]> positions = new ConcurrentHashMap<>();
  private final List<Integer> partitionKey = new ArrayList<>();
  private final List<Integer> clustering = new ArrayList<>();

  /**
   * @param retries whose {@link OperatorOptions#maxRetries} and backoff retry a prepare that timed out or found its
   *     coordinator overloaded (see {@link Retrying})
   */
  RowStatements(CqlSession session, ImportPlan plan, ConsistencyLevel consistency, OperatorOptions retries) {
    this.session = session;
    this.plan = plan;
    this.consistency = consistency;
    this.retries = retries;
    CodecRegistry registry = session.getContext().getCodecRegistry();
    this.codecs = new TypeCodec<?>[plan.columns().size()];
    for (int i = 0; i < codecs.length; i++) {
      codecs[i] = registry.codecFor(plan.columns().get(i).type());
    }
    for (int i = 0; i < plan.columns().size(); i++) {
      switch (plan.columns().get(i).role()) {
        case PARTITION_KEY -> partitionKey.add(i);
        case CLUSTERING -> clustering.add(i);
        default -> { }
      }
    }
    // Prepare the common shape now, so that a statement the server refuses fails the import before any row.
    statement(new Shape(false, false, false));
  }

  /**
   * The statements writing {@code row}.
   *
   * @throws ImportPlan.BadRow if a key column is null (or a single-column partition key empty), or a counter row has
   *     no value
   */
  List<BoundStatement> of(ImportPlan.Converted row) throws ImportPlan.BadRow {
    Object[] v = row.values();
    for (int i : partitionKey) {
      if (v[i] == null) {
        throw new ImportPlan.BadRow("null partition key column " + name(i));
      }
      if (partitionKey.size() == 1 && isEmpty(v[i])) {
        throw new ImportPlan.BadRow("empty partition key column " + name(i) + " (Cassandra refuses it)");
      }
    }
    long nullClustering = clustering.stream().filter(i -> v[i] == null).count();
    boolean staticOnly = false;
    if (nullClustering > 0) {
      boolean noRegular = true;
      boolean someStatic = false;
      for (int i = 0; i < v.length; i++) {
        ImportPlan.Role role = plan.columns().get(i).role();
        noRegular &= role != ImportPlan.Role.REGULAR || v[i] == null;
        someStatic |= role == ImportPlan.Role.STATIC && v[i] != null;
      }
      staticOnly = nullClustering == clustering.size() && someStatic && noRegular;
      if (!staticOnly) {
        int first = clustering.stream().filter(i -> v[i] == null).findFirst().orElseThrow();
        throw new ImportPlan.BadRow("null clustering column " + name(first));
      }
    }
    List<Integer> writable = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      ImportPlan.Role role = plan.columns().get(i).role();
      if (v[i] != null && (role == ImportPlan.Role.STATIC || (role == ImportPlan.Role.REGULAR && !staticOnly))) {
        writable.add(i);
      }
    }
    if (plan.counterTable() && writable.isEmpty()) {
      throw new ImportPlan.BadRow("no counter value to write");
    }
    if (!plan.carriesWritetimes() || writable.isEmpty()) {
      return List.of(bind(new Shape(staticOnly, false, false), row, writable, null, null));
    }
    Map<List<Long>, List<Integer>> groups = new LinkedHashMap<>();
    for (int i : writable) {
      groups.computeIfAbsent(java.util.Arrays.asList(row.writetimes()[i], row.ttls()[i]), k -> new ArrayList<>())
          .add(i);
    }
    List<BoundStatement> out = new ArrayList<>(groups.size());
    for (Map.Entry<List<Long>, List<Integer>> group : groups.entrySet()) {
      Long timestamp = group.getKey().get(0);
      Long ttl = group.getKey().get(1);
      out.add(bind(new Shape(staticOnly, timestamp != null, ttl != null), row, group.getValue(), timestamp, ttl));
    }
    return out;
  }

  private BoundStatement bind(Shape shape, ImportPlan.Converted row, List<Integer> columns, Long timestamp,
      Long ttl) {
    PreparedStatement statement = statement(shape);
    BoundStatementBuilder b = statement.boundStatementBuilder();
    int[] position = positions.computeIfAbsent(shape, this::positions);
    boolean idempotent = !plan.counterTable();
    for (int i : columns) {
      set(b, position[i], i, row.values()[i]);
      idempotent &= !(timestamp != null && plan.columns().get(i).type() instanceof ListType list && !list.isFrozen());
    }
    for (int i : partitionKey) {
      set(b, position[i], i, row.values()[i]);
    }
    if (!shape.staticOnly()) {
      for (int i : clustering) {
        set(b, position[i], i, row.values()[i]);
      }
    }
    // The timestamp and TTL markers follow the columns' (the last entry of position: their count).
    int next = position[position.length - 1];
    if (shape.timestamp()) {
      b.setLong(next++, timestamp);
    }
    if (shape.ttl()) {
      b.setInt(next, (int) Math.max(1, Math.min(Integer.MAX_VALUE, ttl)));
    }
    // A list written twice with the same client timestamp would hold its elements twice: never retried then.
    return b.setConsistencyLevel(consistency).setIdempotence(idempotent).build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void set(BoundStatementBuilder b, int position, int column, Object value) {
    b.set(position, value, (TypeCodec) codecs[column]);
  }

  /**
   * The bind marker of each plan column in a shape's statement (-1 for a column it does not bind), then one more
   * entry: the number of column markers.
   */
  private int[] positions(Shape shape) {
    int[] position = new int[plan.columns().size() + 1];
    java.util.Arrays.fill(position, -1);
    List<Integer> order = order(shape);
    for (int p = 0; p < order.size(); p++) {
      position[order.get(p)] = p;
    }
    position[position.length - 1] = order.size();
    return position;
  }

  /** The plan column of each bind marker of a shape, in order (timestamp and TTL markers follow). */
  private List<Integer> order(Shape shape) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < plan.columns().size(); i++) {
      ImportPlan.Role role = plan.columns().get(i).role();
      boolean write = role == ImportPlan.Role.STATIC || (role == ImportPlan.Role.REGULAR && !shape.staticOnly());
      if (write) {
        order.add(i);
      }
    }
    order.addAll(partitionKey);
    if (!shape.staticOnly()) {
      order.addAll(clustering);
    }
    return order;
  }

  private PreparedStatement statement(Shape shape) {
    return prepared.computeIfAbsent(shape,
        s -> Retrying.prepare(session, SimpleStatement.newInstance(cql(s)), retries));
  }

  /** The CQL of a shape; bind markers in the order of {@link #order}. */
  String cql(Shape shape) {
    List<Integer> order = order(shape);
    List<Integer> written = order.subList(0, order.size() - partitionKey.size()
        - (shape.staticOnly() ? 0 : clustering.size()));
    List<Integer> keys = order.subList(written.size(), order.size());
    String table = ImportPlan.qualified(plan.table());
    if (plan.counterTable()) {
      String set = written.stream().map(i -> quoted(i) + " = " + quoted(i) + " + ?").collect(Collectors.joining(", "));
      String where = keys.stream().map(i -> quoted(i) + " = ?").collect(Collectors.joining(" AND "));
      return "UPDATE " + table + " SET " + set + " WHERE " + where;
    }
    List<Integer> all = new ArrayList<>(written);
    all.addAll(keys);
    String names = all.stream().map(this::quoted).collect(Collectors.joining(", "));
    String marks = all.stream().map(i -> "?").collect(Collectors.joining(", "));
    String using = shape.timestamp() && shape.ttl() ? " USING TIMESTAMP ? AND TTL ?"
        : shape.timestamp() ? " USING TIMESTAMP ?" : shape.ttl() ? " USING TTL ?" : "";
    return "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")" + using;
  }

  private String quoted(int column) {
    return plan.columns().get(column).target().getName().asCql(true);
  }

  private String name(int column) {
    return plan.columns().get(column).name();
  }

  private static boolean isEmpty(Object value) {
    return (value instanceof String s && s.isEmpty()) || (value instanceof ByteBuffer b && !b.hasRemaining());
  }

  @Override
  public String toString() {
    return Objects.toString(prepared.keySet());
  }
}
