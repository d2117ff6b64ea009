package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The main job's sample table: rows over a variety of CQL types (numbers of every width, text, decimal, varint,
 * dates and times, uuid and timeuuid, inet, blob, duration, set, map, list, and nulls), each row a pure function of
 * its number {@code n}, so that a copy of the table can be checked value by value.
 */
final class SampleData {

  /** The columns, in the order of {@link #values(long)}. */
  static final List<String> COLUMNS = List.of("account", "day", "seq", "n", "kind", "amount", "score", "ratio",
      "small", "tiny", "big", "active", "at", "at_time", "ref", "ip", "payload", "span", "tags", "attrs", "history");

  private static final String COLUMN_TYPES = "account uuid, day date, seq int, n bigint, kind text, amount decimal, "
      + "score double, ratio float, small smallint, tiny tinyint, big varint, active boolean, at timestamp, "
      + "at_time time, ref timeuuid, ip inet, payload blob, span duration, tags set<text>, attrs map<text, int>, "
      + "history list<bigint>, PRIMARY KEY ((account, day), seq)";

  private static final int IN_FLIGHT = 256;
  private static final String[] KINDS = {"click", "view", "purchase", "refund", "signup", "login", "logout"};
  private static final long EPOCH_MILLIS = 1_700_000_000_000L;

  private SampleData() {}

  /** Creates {@code keyspace} (if absent, with {@code replication}) and the table afresh (dropping an old one). */
  static void createTable(CqlSession session, String keyspace, String table, String replication) {
    execute(session, "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication);
    execute(session, "DROP TABLE IF EXISTS " + keyspace + "." + table);
    execute(session, "CREATE TABLE " + keyspace + "." + table + " (" + COLUMN_TYPES + ")");
  }

  /** Inserts rows 0 … rows-1, at most {@value #IN_FLIGHT} in flight, reporting the rows written so far. */
  static void load(CqlSession session, String keyspace, String table, long rows, LongConsumer progress) {
    PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + "." + table + " ("
        + String.join(", ", COLUMNS) + ") VALUES (" + "?, ".repeat(COLUMNS.size() - 1) + "?)");
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong done = new AtomicLong();
    for (long n = 0; n < rows && failure.get() == null; n++) {
      inFlight.acquireUninterruptibly();
      session.executeAsync(insert.bind(values(n))).whenComplete((rs, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        }
        long d = done.incrementAndGet();
        if (d % 1000 == 0) {
          progress.accept(d);
        }
        inFlight.release();
      });
    }
    inFlight.acquireUninterruptibly(IN_FLIGHT);
    progress.accept(done.get());
    if (failure.get() != null) {
      throw new IllegalStateException("Loading the sample table failed: " + failure.get().getMessage(),
          failure.get());
    }
  }

  /** The values of row {@code n}, in {@link #COLUMNS} order. */
  static Object[] values(long n) {
    boolean sparse = n % 10 == 9; // every tenth row has nulls in its optional columns
    long millis = EPOCH_MILLIS + n * 1_000L;
    return new Object[] {
      new UUID(0x5A4D_0000_0000_4000L | (n / 4 & 0xFFFF_FFFFL) << 16, 0x8000_0000_0000_0000L | n / 4),
      LocalDate.of(2024, 1, 1).plusDays(n % 365),
      (int) (n % 4),
      n,
      sparse ? null : KINDS[(int) (n % KINDS.length)] + "-" + n,
      sparse ? null : BigDecimal.valueOf(n * 37 % 100_000, 2),
      n * 0.25 - 1000.0,
      (float) (n % 1000) / 8f,
      (short) (n % 30_000 - 15_000),
      (byte) (n % 256 - 128),
      BigInteger.valueOf(n).pow(3).add(BigInteger.TEN.pow(20)),
      n % 3 == 0,
      Instant.ofEpochMilli(millis),
      LocalTime.ofNanoOfDay(n % 86_400L * 1_000_000_000L + n % 1000),
      Uuids.startOf(millis),
      address(n),
      sparse ? null : ByteBuffer.wrap(bytes(n)),
      CqlDuration.newInstance((int) (n % 12), (int) (n % 28), n % 1000 * 1_000_000L),
      sparse ? null : new LinkedHashSet<>(List.of("t" + n % 5, "t" + n % 11)),
      sparse ? null : new LinkedHashMap<>(Map.of("a", (int) (n % 100), "b", (int) (n % 7))),
      sparse ? null : List.of(n, n * 2, n * 3)
    };
  }

  /**
   * Compares a row read back from a copy of the table with the row it must be (its number is read from column
   * {@code n}); returns a description of the first difference, or null if every value is equal.
   */
  static String difference(Row row) {
    long n = row.getLong("n");
    Object[] expected = values(n);
    for (int i = 0; i < COLUMNS.size(); i++) {
      Object actual = row.getObject(COLUMNS.get(i));
      if (!same(expected[i], actual)) {
        return "row n=" + n + ", column " + COLUMNS.get(i) + ": expected " + expected[i] + " but found " + actual;
      }
    }
    return null;
  }

  /**
   * Whether a value read back equals the value written. Cassandra keeps no difference between a null and an empty
   * non-frozen collection, and the driver reads both as empty: so a null collection written matches an empty one.
   */
  static boolean same(Object expected, Object actual) {
    if (expected == null && (actual instanceof Collection<?> c && c.isEmpty() || actual instanceof Map<?, ?> m
        && m.isEmpty())) {
      return true;
    }
    return Objects.equals(expected, actual);
  }

  /** What {@link #compare} found: the rows it checked, and the first problem (null when there is none). */
  record Comparison(long rowsChecked, String problem) {}

  /**
   * Reads every row of {@code table} and checks that it holds exactly the rows 0 … rows-1, each value equal to
   * {@link #values(long)}; reports the rows read so far.
   */
  static Comparison compare(CqlSession session, String keyspace, String table, long rows, LongConsumer progress) {
    BitSet seen = new BitSet();
    long checked = 0;
    for (Row row : session.execute(SimpleStatement.newInstance("SELECT * FROM " + keyspace + "." + table)
        .setPageSize(2000).setTimeout(Duration.ofMinutes(2)))) {
      checked++;
      if (checked % 1000 == 0) {
        progress.accept(checked);
      }
      long n = row.getLong("n");
      if (n < 0 || n >= rows || n > Integer.MAX_VALUE) {
        return new Comparison(checked, "row n=" + n + " was never written");
      }
      if (seen.get((int) n)) {
        return new Comparison(checked, "row n=" + n + " appears twice");
      }
      seen.set((int) n);
      String difference = difference(row);
      if (difference != null) {
        return new Comparison(checked, difference);
      }
    }
    progress.accept(checked);
    if (checked != rows) {
      return new Comparison(checked, checked + " rows, expected " + rows + " (first missing: n="
          + seen.nextClearBit(0) + ")");
    }
    return new Comparison(checked, null);
  }

  private static byte[] bytes(long n) {
    byte[] b = new byte[(int) (n % 16) + 1];
    Arrays.fill(b, (byte) n);
    b[0] = (byte) (n >>> 8);
    return b;
  }

  private static InetAddress address(long n) {
    try {
      return InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofMinutes(1)));
  }
}
