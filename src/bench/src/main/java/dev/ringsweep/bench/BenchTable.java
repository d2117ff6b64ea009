package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.internal.format.CqlColumn;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The benchmark table {@code bench.data}: 11 columns of common types (about 150 bytes a row), 4 rows per partition,
 * each row a function of its number, so the table can be grown (1M, then 5M) by inserting the rows that are missing.
 * {@code bench.data_copy} has the same columns and receives imports. Public for the JMH row benchmarks
 * ({@code dev.ringsweep.bench.jmh}), which convert the same rows in memory.
 */
public final class BenchTable {

  static final String KEYSPACE = "bench";
  static final String TABLE = "data";
  static final String COPY = "data_copy";

  /** The columns, in the order of {@link #values}; {@code (id, seq)} is the primary key. */
  private static final List<CqlColumn> COLUMNS = List.of(
      new CqlColumn("id", DataTypes.BIGINT), new CqlColumn("seq", DataTypes.INT),
      new CqlColumn("name", DataTypes.TEXT), new CqlColumn("email", DataTypes.TEXT),
      new CqlColumn("score", DataTypes.DOUBLE), new CqlColumn("amount", DataTypes.DECIMAL),
      new CqlColumn("active", DataTypes.BOOLEAN), new CqlColumn("created", DataTypes.TIMESTAMP),
      new CqlColumn("day", DataTypes.DATE), new CqlColumn("uid", DataTypes.UUID),
      new CqlColumn("tags", DataTypes.setOf(DataTypes.TEXT)));

  private static final String DEFINITION = COLUMNS.stream().map(c -> c.name() + " " + c.cqlType())
      .collect(Collectors.joining(", ", "(", ", PRIMARY KEY (id, seq))"));

  private static final int IN_FLIGHT = 128;
  private static final int ATTEMPTS = 5;

  private BenchTable() {}

  /** The columns of {@code bench.data}, in the order of {@link #values}. */
  public static List<CqlColumn> columns() {
    return COLUMNS;
  }

  /** The driver Java values of row {@code n}, one per {@link #columns() column}. */
  public static Object[] values(long n) {
    return new Object[] {n / 4, (int) (n % 4), "name-" + n, "user" + n + "@example.com", n * 0.5,
        BigDecimal.valueOf(n % 1_000_000, 2), n % 2 == 0, Instant.ofEpochMilli(1_700_000_000_000L + n),
        LocalDate.of(2024, 1, 1).plusDays(n % 366), new UUID(n, ~n), Set.of("t" + n % 7, "u" + n % 5)};
  }

  /** Creates the keyspace (replication factor {@code rf}) and both tables, empty. */
  static void create(CqlSession session, int rf) {
    execute(session, "DROP KEYSPACE IF EXISTS " + KEYSPACE);
    execute(session, "CREATE KEYSPACE " + KEYSPACE + " WITH replication = "
        + "{'class': 'SimpleStrategy', 'replication_factor': " + rf + "}");
    execute(session, "CREATE TABLE " + KEYSPACE + "." + TABLE + " " + DEFINITION);
    execute(session, "CREATE TABLE " + KEYSPACE + "." + COPY + " " + DEFINITION);
  }

  /**
   * Inserts rows {@code from} … {@code to - 1} into {@code bench.data}: the rows of one partition in one UNLOGGED
   * batch, {@value #IN_FLIGHT} requests at a time; a write that times out (a busy machine) is retried up to
   * {@value #ATTEMPTS} times.
   */
  static void insert(CqlSession session, long from, long to) {
    PreparedStatement insert = session.prepare("INSERT INTO " + KEYSPACE + "." + TABLE
        + COLUMNS.stream().map(CqlColumn::name).collect(Collectors.joining(", ", " (", ")"))
        + COLUMNS.stream().map(c -> "?").collect(Collectors.joining(", ", " VALUES (", ")")));
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long n = from;
    while (n < to && failure.get() == null) {
      long partitionEnd = Math.min(to, (n / 4 + 1) * 4);
      BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED).setIdempotence(true);
      for (; n < partitionEnd; n++) {
        batch.addStatement(insert.bind(values(n)));
      }
      inFlight.acquireUninterruptibly();
      write(session, batch.build(), 1, failure, inFlight);
    }
    inFlight.acquireUninterruptibly(IN_FLIGHT);
    if (failure.get() != null) {
      throw new IllegalStateException("Loading bench.data failed: " + failure.get(), failure.get());
    }
  }

  /**
   * Writes {@code statement} asynchronously, retrying a timeout or overload (a busy machine) up to
   * {@value #ATTEMPTS} times; releases a permit of {@code inFlight} when done, recording a final error in
   * {@code failure}.
   */
  static void write(CqlSession session, Statement<?> statement, int attempt,
      AtomicReference<Throwable> failure, Semaphore inFlight) {
    session.executeAsync(statement).whenComplete((rs, error) -> {
      if (error == null) {
        inFlight.release();
      } else if (attempt < ATTEMPTS && (error instanceof WriteTimeoutException
          || error instanceof DriverTimeoutException || error instanceof OverloadedException)) {
        CompletableFuture.delayedExecutor(100L * attempt, TimeUnit.MILLISECONDS)
            .execute(() -> write(session, statement, attempt + 1, failure, inFlight));
      } else {
        failure.compareAndSet(null, error);
        inFlight.release();
      }
    });
  }

  /** Empties {@code bench.data_copy}. */
  static void truncateCopy(CqlSession session) {
    execute(session, "TRUNCATE " + KEYSPACE + "." + COPY);
  }

  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofMinutes(2)));
  }
}
