package dev.ringsweep.internal.format;

import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.data.CqlVector;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.internal.core.type.UserDefinedTypeBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A column of every CQL type (nested frozen collections and nested UDTs included) and rows of edge values for it,
 * shared by the unit tests and the integration tests. The UDTs are passed in: detached ones built here for unit tests
 * ({@link #detachedUdts()}), the cluster's own ones in integration tests.
 */
public final class AllTypes {

  /** CQL of the two UDTs, to create them in a keyspace: address first, person (which nests address) second. */
  public static final List<String> UDT_CQL =
      List.of(
          "CREATE TYPE %s.address (street text, zip int, tags frozen<set<text>>)",
          "CREATE TYPE %s.person (name text, home frozen<address>, scores frozen<list<int>>)");

  /** Column names and CQL types, in order; the first, {@code k int}, is meant as the partition key. */
  public static final List<String[]> COLUMNS_CQL =
      List.of(
          new String[] {"k", "int"},
          new String[] {"c_ascii", "ascii"},
          new String[] {"c_text", "text"},
          new String[] {"c_varchar", "varchar"},
          new String[] {"c_tinyint", "tinyint"},
          new String[] {"c_smallint", "smallint"},
          new String[] {"c_int", "int"},
          new String[] {"c_bigint", "bigint"},
          new String[] {"c_varint", "varint"},
          new String[] {"c_float", "float"},
          new String[] {"c_double", "double"},
          new String[] {"c_decimal", "decimal"},
          new String[] {"c_boolean", "boolean"},
          new String[] {"c_blob", "blob"},
          new String[] {"c_uuid", "uuid"},
          new String[] {"c_timeuuid", "timeuuid"},
          new String[] {"c_timestamp", "timestamp"},
          new String[] {"c_date", "date"},
          new String[] {"c_time", "time"},
          new String[] {"c_duration", "duration"},
          new String[] {"c_inet", "inet"},
          new String[] {"c_list", "list<int>"},
          new String[] {"c_set", "set<text>"},
          new String[] {"c_map", "map<text, int>"},
          new String[] {"c_frozen_list", "frozen<list<frozen<list<int>>>>"},
          new String[] {"c_nested_map", "map<int, frozen<map<text, frozen<set<uuid>>>>>"},
          new String[] {"c_double_map", "map<double, timestamp>"},
          new String[] {"c_tuple", "tuple<int, text, frozen<list<double>>>"},
          new String[] {"c_udt", "frozen<person>"},
          new String[] {"c_udt_list", "list<frozen<address>>"},
          new String[] {"c_vector", "vector<float, 3>"});

  private AllTypes() {}

  /** Detached address and person UDTs, for tests without a cluster. */
  public static UserDefinedType[] detachedUdts() {
    UserDefinedType address =
        new UserDefinedTypeBuilder("ks", "address")
            .withField("street", DataTypes.TEXT)
            .withField("zip", DataTypes.INT)
            .withField("tags", DataTypes.frozenSetOf(DataTypes.TEXT))
            .build();
    UserDefinedType person =
        new UserDefinedTypeBuilder("ks", "person")
            .withField("name", DataTypes.TEXT)
            .withField("home", address.copy(true))
            .withField("scores", DataTypes.frozenListOf(DataTypes.INT))
            .build();
    return new UserDefinedType[] {address, person};
  }

  /** The columns, typed, with the given UDTs. */
  public static List<CqlColumn> columns(UserDefinedType address, UserDefinedType person) {
    List<DataType> types =
        List.of(
            DataTypes.INT, DataTypes.ASCII, DataTypes.TEXT, DataTypes.TEXT, DataTypes.TINYINT, DataTypes.SMALLINT,
            DataTypes.INT, DataTypes.BIGINT, DataTypes.VARINT, DataTypes.FLOAT, DataTypes.DOUBLE, DataTypes.DECIMAL,
            DataTypes.BOOLEAN, DataTypes.BLOB, DataTypes.UUID, DataTypes.TIMEUUID, DataTypes.TIMESTAMP,
            DataTypes.DATE, DataTypes.TIME, DataTypes.DURATION, DataTypes.INET,
            DataTypes.listOf(DataTypes.INT),
            DataTypes.setOf(DataTypes.TEXT),
            DataTypes.mapOf(DataTypes.TEXT, DataTypes.INT),
            DataTypes.frozenListOf(DataTypes.frozenListOf(DataTypes.INT)),
            DataTypes.mapOf(DataTypes.INT,
                DataTypes.frozenMapOf(DataTypes.TEXT, DataTypes.frozenSetOf(DataTypes.UUID))),
            DataTypes.mapOf(DataTypes.DOUBLE, DataTypes.TIMESTAMP),
            tupleType(),
            person.copy(true),
            DataTypes.listOf(address.copy(true)),
            DataTypes.vectorOf(DataTypes.FLOAT, 3));
    List<CqlColumn> columns = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      columns.add(new CqlColumn(COLUMNS_CQL.get(i)[0], types.get(i)));
    }
    return columns;
  }

  public static TupleType tupleType() {
    return DataTypes.tupleOf(DataTypes.INT, DataTypes.TEXT, DataTypes.frozenListOf(DataTypes.DOUBLE));
  }

  /**
   * Rows of values for {@link #columns}, keyed 1..n: typical values, every column null, empty values (strings, blob,
   * collections, null tuple components and UDT fields), and extremes (min/max, NaN, -0.0, infinities, dates far from
   * the epoch, IPv6, negative duration). Non-frozen empty collections are included: Cassandra stores them as null.
   */
  public static List<Object[]> rows(UserDefinedType address, UserDefinedType person, TupleType tuple) {
    List<Object[]> rows = new ArrayList<>();
    UdtValue home = address.newValue("1 Main St, \"Apt\" 2\nSecond line", 12345, Set.of("a"));
    UdtValue alice = person.newValue("Alice", home, List.of(1, 2, 3));
    rows.add(
        new Object[] {
          1, "ascii, \"quoted\"", "text é 中文 😀, with\r\nnewline", "varchar", (byte) 7, (short) 300, 42, 1L << 40,
          new BigInteger("123456789012345678901234567890123456789012345678901234567890"), 3.14f, Math.E,
          new BigDecimal("-12345678901234567890.123456789012345678901234567890"), true,
          ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 255}),
          UUID.fromString("123e4567-e89b-42d3-a456-426614174000"),
          UUID.fromString("e7d3a9a0-0c3f-11ef-9c3d-0800200c9a66"),
          Instant.parse("2024-05-01T12:34:56.789Z"), LocalDate.of(2024, 5, 1),
          LocalTime.of(12, 34, 56, 123456789), CqlDuration.newInstance(14, 3, 3_600_000_000_123L),
          inet("192.168.1.10"),
          new ArrayList<>(List.of(3, 1, 2)),
          new LinkedHashSet<>(List.of("a", "b,c", "d\"e")),
          linkedMap("one", 1, "two", 2),
          List.of(List.of(1, 2), List.of(), List.of(3)),
          linkedMap(7, linkedMap("x", new LinkedHashSet<>(List.of(UUID.fromString(
              "00000000-0000-0000-0000-000000000001"))), "y", new LinkedHashSet<>())),
          linkedMap(-1.5, Instant.parse("1969-12-31T23:59:59.999Z"), 2.0, Instant.EPOCH),
          tuple.newValue(1, "one", List.of(1.5, -2.25)),
          alice,
          new ArrayList<>(List.of(home, address.newValue("2 Side St", 99, Set.of()))),
          CqlVector.newInstance(0.5f, -1.25f, 3.0f)
        });
    Object[] nulls = new Object[COLUMNS_CQL.size()];
    nulls[0] = 2;
    rows.add(nulls);
    rows.add(
        new Object[] {
          3, "", "", "", (byte) 0, (short) 0, 0, 0L, BigInteger.ZERO, 0.0f, 0.0, new BigDecimal("0.000"), false,
          ByteBuffer.allocate(0), new UUID(0, 0), UUID.fromString("00000000-0000-1000-8000-000000000000"),
          Instant.EPOCH, LocalDate.ofEpochDay(0), LocalTime.MIDNIGHT, CqlDuration.newInstance(0, 0, 0),
          inet("0.0.0.0"), new ArrayList<>(), new LinkedHashSet<>(), new LinkedHashMap<>(), List.of(),
          new LinkedHashMap<>(), new LinkedHashMap<>(),
          tuple.newValue(null, null, null),
          person.newValue(null, address.newValue(null, null, null), null),
          new ArrayList<>(List.of(address.newValue(null, null, null))),
          CqlVector.newInstance(0.0f, 0.0f, 0.0f)
        });
    rows.add(
        new Object[] {
          4, "~", "\u0000 nul and \t tab", "x", Byte.MIN_VALUE, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE,
          new BigInteger("-98765432109876543210987654321098765432109876543210"), Float.NaN,
          Double.NEGATIVE_INFINITY, new BigDecimal("1E+30"), true, ByteBuffer.wrap(new byte[300]),
          new UUID(-1, -1), UUID.fromString("ffffffff-ffff-1fff-bfff-ffffffffffff"),
          Instant.parse("-1000-01-01T00:00:00.001Z"), LocalDate.of(-5000, 1, 1),
          LocalTime.of(23, 59, 59, 999_999_999), CqlDuration.newInstance(-1, -2, -3), inet("::1"),
          new ArrayList<>(List.of(Integer.MAX_VALUE, Integer.MIN_VALUE)), new LinkedHashSet<>(List.of("")),
          linkedMap("", Integer.MAX_VALUE), List.of(List.of()), new LinkedHashMap<>(),
          linkedMap(Double.NaN, Instant.parse("9999-12-31T23:59:59.999Z")),
          tuple.newValue(Integer.MIN_VALUE, "", List.of(Double.MIN_VALUE, -0.0, Double.NaN)),
          person.newValue("", null, List.of()),
          new ArrayList<>(),
          CqlVector.newInstance(Float.MAX_VALUE, -0.0f, Float.POSITIVE_INFINITY)
        });
    rows.add(
        new Object[] {
          5, "z", "plain", "y", Byte.MAX_VALUE, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
          BigInteger.ONE.shiftLeft(200), Float.MIN_VALUE, Double.MAX_VALUE, new BigDecimal("0.1"), false,
          ByteBuffer.wrap(new byte[] {(byte) 0xca, (byte) 0xfe}),
          UUID.fromString("ffffffff-ffff-4fff-bfff-ffffffffffff"),
          UUID.fromString("00000000-0000-1000-8000-000000000001"),
          Instant.parse("+20000-06-15T00:00:00Z"), LocalDate.of(99999, 12, 31), LocalTime.of(0, 0, 0, 1),
          CqlDuration.newInstance(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE),
          inet("2001:db8::ff00:42:8329"), new ArrayList<>(List.of(0)), new LinkedHashSet<>(List.of("only")),
          linkedMap("k", -1), List.of(List.of(Integer.MIN_VALUE)), linkedMap(0, new LinkedHashMap<>()),
          linkedMap(Double.NEGATIVE_INFINITY, Instant.EPOCH, -0.0, Instant.EPOCH),
          tuple.newValue(0, "x", List.of()),
          person.newValue("Bob", address.newValue("", 0, Set.of("")), List.of(0)),
          new ArrayList<>(List.of(address.newValue("s", null, null))),
          CqlVector.newInstance(Float.NaN, Float.MIN_VALUE, Float.NEGATIVE_INFINITY)
        });
    return rows;
  }

  /** A copy of a row with every value that Cassandra stores as null (empty non-frozen collections) set to null. */
  public static Object[] asStored(Object[] row, List<CqlColumn> columns) {
    Object[] stored = Arrays.copyOf(row, row.length);
    for (int i = 0; i < stored.length; i++) {
      String cql = columns.get(i).cqlType();
      boolean multiCell = !cql.startsWith("frozen<") && (cql.startsWith("list<") || cql.startsWith("set<")
          || cql.startsWith("map<"));
      if (multiCell && stored[i] instanceof java.util.Collection<?> c && c.isEmpty()) {
        stored[i] = null;
      }
      if (multiCell && stored[i] instanceof Map<?, ?> m && m.isEmpty()) {
        stored[i] = null;
      }
    }
    return stored;
  }

  @SuppressWarnings("unchecked")
  public static <K, V> Map<K, V> linkedMap(Object... keysAndValues) {
    Map<K, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((K) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return map;
  }

  static InetAddress inet(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
