package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.ringsweep.batch.StatementClassifier.Kind;
import dev.ringsweep.ConcurrencyMode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a caller hands to a {@link BatchWriter} into requests: checks the statements fit the writer's mode
 * (counter updates only with COUNTER, never mixed), falls back to single statements when reads are among them, and
 * otherwise groups (by partition key, replica set, or not at all for LOGGED) and cuts groups to the caps. A writer
 * with an adaptive limit also names each request's replica set, whose limit it is held to.
 */
final class WritePlanner {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  /** The requests for one input, and whether the input fell back to concurrent single statements. */
  record Plan(List<PlannedBatch> batches, boolean fellBack) {}

  /** Statements that may share a batch: same query timestamp, consistency level and execution profile. */
  private record Settings(long queryTimestamp, ConsistencyLevel consistency, String profile) {}

  /** A partition: keyspace and routing key (or routing token, when only that is known). */
  private record Partition(CqlIdentifier keyspace, Object key) {}

  private record GroupKey(Object location, Settings settings) {}

  /** The ring of a keyspace under one token map: how many replica sets it has, and those named so far. */
  private record Ring(int setsInRing, Map<Set<Node>, PlannedBatch.ReplicaSet> named) {}

  /** The rings of the keyspaces written to under one token map. */
  private record Rings(TokenMap tokens, Map<CqlIdentifier, Ring> byKeyspace) {}

  private static final PlannedBatch.ReplicaSet UNKNOWN_REPLICAS = new PlannedBatch.ReplicaSet("no known replica", 1);
  private static final PlannedBatch.ReplicaSet SEVERAL_REPLICA_SETS =
      new PlannedBatch.ReplicaSet("requests across replica sets", 1);

  private final BatchWriterOptions options;
  private final StatementClassifier classifier;
  private final SizeEstimator sizes;
  private final Supplier<Optional<TokenMap>> tokenMap;
  private final boolean defaultIdempotence;
  private final boolean namesReplicaSets;
  private final AtomicBoolean warnedOfLargeBatch = new AtomicBoolean();
  /**
   * Each request's replica set is looked up here, not named anew (naming resolves and sorts its endpoints), nor the
   * ring's replica sets counted anew; a new token map, after a change of the ring, starts afresh.
   */
  private volatile Rings rings;

  WritePlanner(BatchWriterOptions options, StatementClassifier classifier, SizeEstimator sizes,
      Supplier<Optional<TokenMap>> tokenMap, boolean defaultIdempotence) {
    this(options, classifier, sizes, tokenMap, defaultIdempotence, options.concurrency() == ConcurrencyMode.ADAPTIVE);
  }

  /**
   * A planner that names each request's replica set ({@link PlannedBatch#replicaSet()}) when
   * {@code namesReplicaSets} is true: a writer whose adaptive limit is per replica set needs it; others do not.
   */
  WritePlanner(BatchWriterOptions options, StatementClassifier classifier, SizeEstimator sizes,
      Supplier<Optional<TokenMap>> tokenMap, boolean defaultIdempotence, boolean namesReplicaSets) {
    this.namesReplicaSets = namesReplicaSets;
    this.options = options;
    this.classifier = classifier;
    this.sizes = sizes;
    this.tokenMap = tokenMap;
    this.defaultIdempotence = defaultIdempotence;
  }

  Plan planWrite(List<BatchableStatement<?>> statements) {
    List<Kind> kinds = classifyAll(statements);
    BatchMode mode = options.mode();
    Optional<TokenMap> replicas = namesReplicaSets ? tokenMap.get() : Optional.empty();
    if (mode == BatchMode.NONE || kinds.contains(Kind.NOT_BATCHABLE)) {
      List<PlannedBatch> singles = new ArrayList<>(statements.size());
      for (int i = 0; i < statements.size(); i++) {
        List<BatchableStatement<?>> single = List.of(statements.get(i));
        singles.add(new PlannedBatch(single, null, false, idempotent(statements.get(i), kinds.get(i)),
            replicaSet(single, replicas)));
      }
      return new Plan(singles, mode != BatchMode.NONE);
    }
    Function<BatchableStatement<?>, Object> key;
    if (mode == BatchMode.LOGGED) {
      key = WritePlanner::settings;
    } else {
      Optional<TokenMap> tokens = options.grouping() == Grouping.REPLICA_SET ? tokenMap.get() : Optional.empty();
      key = statement -> {
        Object location = location(statement, tokens);
        return location == null ? null : new GroupKey(location, settings(statement));
      };
    }
    DefaultBatchType type = mode.batchType().orElseThrow();
    List<PlannedBatch> batches = new ArrayList<>();
    for (List<BatchableStatement<?>> group : BatchPlanner.group(statements, key)) {
      for (List<BatchableStatement<?>> chunk :
          BatchPlanner.chunk(group, sizes::estimate, options.maxStatementsPerBatch(), options.maxBatchBytes())) {
        batches.add(new PlannedBatch(chunk, type, true, allIdempotent(chunk, mode), replicaSet(chunk, replicas)));
        warnIfLarge(chunk.size());
      }
    }
    return new Plan(batches, false);
  }

  Plan planUnit(List<BatchableStatement<?>> unit) {
    BatchMode mode = options.mode();
    if (mode == BatchMode.NONE) {
      throw new IllegalStateException("A BatchMode.NONE writer sends no batches: write a unit with a LOGGED writer");
    }
    List<Kind> kinds = classifyAll(unit);
    int notBatchable = kinds.indexOf(Kind.NOT_BATCHABLE);
    if (notBatchable >= 0) {
      throw new IllegalArgumentException(String.format(
          "A unit is written as one batch and cannot contain statement %s: %s (only INSERT, UPDATE and DELETE "
              + "without conditions can go in a batch)", notBatchable, describe(unit.get(notBatchable))));
    }
    if (unit.size() > options.maxStatementsPerBatch()) {
      throw new IllegalArgumentException(String.format(
          "Unit too large: %s statements (must be <= maxStatementsPerBatch %s)",
          unit.size(), options.maxStatementsPerBatch()));
    }
    long bytes = unit.stream().mapToLong(sizes::estimate).sum();
    if (unit.size() > 1 && bytes > options.maxBatchBytes()) {
      throw new IllegalArgumentException(String.format(
          "Unit too large: about %s bytes (must be <= maxBatchBytes %s)", bytes, options.maxBatchBytes()));
    }
    if (unit.isEmpty()) {
      return new Plan(List.of(), false);
    }
    warnIfLarge(unit.size());
    DefaultBatchType type = mode.batchType().orElseThrow();
    Optional<TokenMap> replicas = namesReplicaSets ? tokenMap.get() : Optional.empty();
    return new Plan(List.of(new PlannedBatch(unit, type, false, allIdempotent(unit, mode),
        replicaSet(unit, replicas))), false);
  }

  private List<Kind> classifyAll(List<BatchableStatement<?>> statements) {
    List<Kind> kinds = new ArrayList<>(statements.size());
    BatchMode mode = options.mode();
    for (int i = 0; i < statements.size(); i++) {
      BatchableStatement<?> statement = statements.get(i);
      Kind kind = classifier.classify(statement);
      if (mode == BatchMode.COUNTER && kind == Kind.WRITE) {
        throw new IllegalArgumentException(String.format(
            "Cannot mix counter and non-counter statements: statement %s is not a counter update but the writer's "
                + "mode is COUNTER: %s", i, describe(statement)));
      }
      if ((mode == BatchMode.LOGGED || mode == BatchMode.UNLOGGED) && kind == Kind.COUNTER_WRITE) {
        throw new IllegalArgumentException(String.format(
            "Cannot mix counter and non-counter statements: statement %s is a counter update, which needs "
                + "BatchMode.COUNTER (the writer's mode is %s): %s", i, mode, describe(statement)));
      }
      kinds.add(kind);
    }
    return kinds;
  }

  private static Object location(BatchableStatement<?> statement, Optional<TokenMap> tokens) {
    CqlIdentifier keyspace = keyspace(statement);
    ByteBuffer routingKey = statement.getRoutingKey();
    Set<Node> replicas = replicas(statement, tokens);
    if (!replicas.isEmpty()) {
      return Set.copyOf(replicas);
    }
    if (routingKey != null) {
      return new Partition(keyspace, routingKey);
    }
    return statement.getRoutingToken() == null ? null : new Partition(keyspace, statement.getRoutingToken());
  }

  private static CqlIdentifier keyspace(BatchableStatement<?> statement) {
    return statement.getRoutingKeyspace() != null ? statement.getRoutingKeyspace() : statement.getKeyspace();
  }

  /** The nodes that store the statement's partition, per the token map; empty when not known. */
  private static Set<Node> replicas(BatchableStatement<?> statement, Optional<TokenMap> tokens) {
    CqlIdentifier keyspace = keyspace(statement);
    if (tokens.isEmpty() || keyspace == null) {
      return Set.of();
    }
    ByteBuffer routingKey = statement.getRoutingKey();
    return routingKey != null ? tokens.get().getReplicas(keyspace, routingKey)
        : statement.getRoutingToken() != null ? tokens.get().getReplicas(keyspace, statement.getRoutingToken())
        : Set.of();
  }

  /**
   * The replica set that stores every partition of {@code statements}, per {@code tokens}; a set of its own for
   * requests whose replicas are not known, and one for requests whose partitions are on several replica sets (a
   * LOGGED batch across partitions). Null when there is no token map to tell (or the writer's limit is fixed).
   */
  private PlannedBatch.ReplicaSet replicaSet(List<BatchableStatement<?>> statements, Optional<TokenMap> tokens) {
    if (tokens.isEmpty()) {
      return null;
    }
    Set<Node> common = null;
    for (BatchableStatement<?> statement : statements) {
      Set<Node> replicas = replicas(statement, tokens);
      if (replicas.isEmpty()) {
        return UNKNOWN_REPLICAS;
      }
      if (common == null) {
        common = replicas;
      } else if (!common.equals(replicas)) {
        return SEVERAL_REPLICA_SETS;
      }
    }
    return named(common, tokens.get(), keyspace(statements.get(0)));
  }

  /** The replica set {@code replicas} of {@code keyspace}, named once per token map (see {@link #rings}). */
  private PlannedBatch.ReplicaSet named(Set<Node> replicas, TokenMap tokens, CqlIdentifier keyspace) {
    Rings current = rings;
    if (current == null || current.tokens() != tokens) {
      current = new Rings(tokens, new ConcurrentHashMap<>());
      rings = current;
    }
    Ring ring = current.byKeyspace().computeIfAbsent(keyspace,
        k -> new Ring(setsInRing(tokens, k), new ConcurrentHashMap<>()));
    return ring.named().computeIfAbsent(replicas, r -> new PlannedBatch.ReplicaSet(name(r), ring.setsInRing()));
  }

  /** How many replica sets the ring of {@code keyspace} has under {@code tokens} (at least 1). */
  private static int setsInRing(TokenMap tokens, CqlIdentifier keyspace) {
    Set<Set<Node>> sets = new HashSet<>();
    for (com.datastax.oss.driver.api.core.metadata.token.TokenRange range : tokens.getTokenRanges()) {
      sets.add(tokens.getReplicas(keyspace, range));
    }
    return Math.max(1, sets.size());
  }

  /** A replica set named by its endpoints, {@code host:port@datacenter}, in order. */
  static String name(Set<Node> replicas) {
    List<String> names = new ArrayList<>(replicas.size());
    for (Node node : replicas) {
      SocketAddress address = node.getEndPoint().resolve();
      String endpoint = String.valueOf(address);
      if (address instanceof InetSocketAddress inet) {
        String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        endpoint = host.contains(":") ? "[" + host + "]:" + inet.getPort() : host + ":" + inet.getPort();
      }
      names.add(node.getDatacenter() == null ? endpoint : endpoint + "@" + node.getDatacenter());
    }
    Collections.sort(names);
    return String.join(", ", names);
  }

  private static Settings settings(BatchableStatement<?> statement) {
    String profile = statement.getExecutionProfile() != null
        ? statement.getExecutionProfile().getName()
        : statement.getExecutionProfileName();
    return new Settings(statement.getQueryTimestamp(), statement.getConsistencyLevel(), profile);
  }

  private boolean allIdempotent(List<BatchableStatement<?>> statements, BatchMode mode) {
    if (mode == BatchMode.COUNTER) {
      return false;
    }
    return statements.stream().allMatch(s -> idempotent(s, Kind.WRITE));
  }

  private boolean idempotent(BatchableStatement<?> statement, Kind kind) {
    if (kind == Kind.COUNTER_WRITE) {
      return false;
    }
    Boolean idempotent = statement.isIdempotent();
    return idempotent == null ? defaultIdempotence : idempotent;
  }

  private void warnIfLarge(int size) {
    if (size > options.warnStatementsPerBatch()) {
      if (warnedOfLargeBatch.compareAndSet(false, true)) {
        LOG.warn("Batch of {} statements, more than warnStatementsPerBatch {}: large batches load their coordinator "
            + "(logged once per writer)", size, options.warnStatementsPerBatch());
      } else {
        LOG.debug("Batch of {} statements, more than warnStatementsPerBatch {}", size, options.warnStatementsPerBatch());
      }
    }
  }

  static String describe(BatchableStatement<?> statement) {
    String query = statement instanceof BoundStatement
        ? ((BoundStatement) statement).getPreparedStatement().getQuery()
        : statement instanceof SimpleStatement ? ((SimpleStatement) statement).getQuery() : statement.toString();
    return query.length() <= 120 ? query : query.substring(0, 117) + "...";
  }
}
