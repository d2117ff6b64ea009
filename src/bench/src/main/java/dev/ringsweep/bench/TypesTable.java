package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The every-type table {@code bench.types}: one column of each CQL type an export writes (every scalar, the three
 * collections, a tuple, a UDT and a nested frozen collection), one row per partition, each row a function of its
 * number. Its copy {@code bench.types_copy} receives imports. It measures a row's cost when the types are not the
 * common few of {@code bench.data}. No {@code vector} column: DSBulk 1.10's driver cannot parse the type, and a
 * keyspace holding one makes DSBulk fail on every table of it.
 */
final class TypesTable {

  static final String TABLE = "types";
  static final String COPY = "types_copy";

  /** Column names and CQL types, the primary key {@code k} first. */
  private static final List<String[]> COLUMNS = List.of(
      new String[] {"k", "bigint"}, new String[] {"c_ascii", "ascii"}, new String[] {"c_text", "text"},
      new String[] {"c_tinyint", "tinyint"}, new String[] {"c_smallint", "smallint"}, new String[] {"c_int", "int"},
      new String[] {"c_varint", "varint"}, new String[] {"c_float", "float"}, new String[] {"c_double", "double"},
      new String[] {"c_decimal", "decimal"}, new String[] {"c_boolean", "boolean"},
      new String[] {"c_timestamp", "timestamp"}, new String[] {"c_date", "date"}, new String[] {"c_time", "time"},
      new String[] {"c_uuid", "uuid"}, new String[] {"c_timeuuid", "timeuuid"}, new String[] {"c_inet", "inet"},
      new String[] {"c_blob", "blob"}, new String[] {"c_duration", "duration"},
      new String[] {"c_list", "list<int>"}, new String[] {"c_set", "set<text>"},
      new String[] {"c_map", "map<text, int>"}, new String[] {"c_tuple", "tuple<int, text>"},
      new String[] {"c_udt", "frozen<address>"}, new String[] {"c_nested", "frozen<list<frozen<map<text, int>>>>"});

  private static final int IN_FLIGHT = 128;

  private TypesTable() {}

  /** The number of columns. */
  static int columnCount() {
    return COLUMNS.size();
  }

  /** Creates the UDT and both tables in {@code bench} (which must exist), empty. */
  static void create(CqlSession session) {
    execute(session, "CREATE TYPE IF NOT EXISTS " + BenchTable.KEYSPACE + ".address (street text, zip int)");
    String definition = COLUMNS.stream().map(c -> c[0] + " " + c[1])
        .collect(Collectors.joining(", ", "(", ", PRIMARY KEY (k))"));
    for (String table : List.of(TABLE, COPY)) {
      execute(session, "DROP TABLE IF EXISTS " + BenchTable.KEYSPACE + "." + table);
      execute(session, "CREATE TABLE " + BenchTable.KEYSPACE + "." + table + " " + definition);
    }
  }

  /** Inserts rows 0 … {@code rows - 1} (one row a partition, so one statement each), {@value #IN_FLIGHT} at a time. */
  static void insert(CqlSession session, long rows) {
    UserDefinedType address = session.getMetadata().getKeyspace(BenchTable.KEYSPACE)
        .flatMap(ks -> ks.getUserDefinedType("address"))
        .orElseThrow(() -> new IllegalStateException("No type bench.address"));
    TupleType tuple = DataTypes.tupleOf(DataTypes.INT, DataTypes.TEXT);
    PreparedStatement insert = session.prepare("INSERT INTO " + BenchTable.KEYSPACE + "." + TABLE
        + COLUMNS.stream().map(c -> c[0]).collect(Collectors.joining(", ", " (", ")"))
        + COLUMNS.stream().map(c -> "?").collect(Collectors.joining(", ", " VALUES (", ")")));
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (long n = 0; n < rows && failure.get() == null; n++) {
      inFlight.acquireUninterruptibly();
      BenchTable.write(session, insert.bind(values(n, address, tuple)).setIdempotent(true), 1, failure, inFlight);
    }
    inFlight.acquireUninterruptibly(IN_FLIGHT);
    if (failure.get() != null) {
      throw new IllegalStateException("Loading bench.types failed: " + failure.get(), failure.get());
    }
  }

  /** The driver values of row {@code n}, in column order; every fifth row leaves its collections empty (null). */
  static Object[] values(long n, UserDefinedType address, TupleType tuple) {
    int i = (int) n;
    boolean sparse = n % 5 == 4;
    Map<String, Integer> map = new LinkedHashMap<>();
    map.put("a" + n % 3, i);
    map.put("b" + n % 7, -i);
    return new Object[] {
        n, "ascii-" + n, "text é ✓ " + n, (byte) n, (short) n, i, BigInteger.valueOf(n).pow(3).negate(),
        (float) (n * 0.25), n * 1.5, BigDecimal.valueOf(n, 3), n % 2 == 0,
        Instant.ofEpochMilli(1_700_000_000_000L + n * 1000), LocalDate.of(2020, 1, 1).plusDays(n % 3000),
        LocalTime.ofNanoOfDay((n * 1_000_003L) % 86_400_000_000_000L), new UUID(n, ~n),
        Uuids.startOf(1_700_000_000_000L + n), inet(n), ByteBuffer.wrap(("blob-" + n).getBytes()),
        CqlDuration.newInstance((int) (n % 12), (int) (n % 28), n * 1_000_000L),
        sparse ? null : List.of(i, i + 1, i + 2), sparse ? null : Set.of("s" + n % 5, "t" + n % 11),
        sparse ? null : map, tuple.newValue(i, "tuple-" + n),
        address.newValue("street " + n, (int) (n % 100_000)),
        sparse ? null : List.of(Map.of("x", i), Map.of("y", i + 1))};
  }

  private static InetAddress inet(long n) {
    try {
      return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Empties {@code bench.types_copy}. */
  static void truncateCopy(CqlSession session) {
    execute(session, "TRUNCATE " + BenchTable.KEYSPACE + "." + COPY);
  }

  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofMinutes(2)));
  }
}
