package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.imports.Conversions;
import dev.ringsweep.internal.imports.CqlTypes;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the columns of a source feed the columns of a target table, checked before anything is written: source
 * columns match target columns by name (exactly, else ignoring case when that is unambiguous); {@code <c>_writetime}
 * and {@code <c>_ttl} columns of a matched regular or static column {@code c} carry its write time and TTL; every
 * primary key column must be fed; every source column must be used; each type must convert ({@link Conversions}).
 * All problems are reported together.
 */
final class ImportPlan {

  /** What a target column is in its table. */
  enum Role { PARTITION_KEY, CLUSTERING, STATIC, REGULAR }

  /**
   * One target column fed by the source.
   *
   * @param target the target column
   * @param role its role in the table
   * @param source index of its source column
   * @param converter raw source value to driver value
   * @param writetime index of its {@code _writetime} source column, or -1
   * @param writetimeConverter converts that column to a Long, or null
   * @param ttl index of its {@code _ttl} source column, or -1
   * @param ttlConverter converts that column to a Long, or null
   */
  record Column(ColumnMetadata target, Role role, int source, Conversions.Converter converter, int writetime,
      Conversions.Converter writetimeConverter, int ttl, Conversions.Converter ttlConverter) {

    String name() {
      return target.getName().asInternal();
    }

    DataType type() {
      return target.getType();
    }
  }

  /** A row converted to target values, aligned with {@link #columns()}; write times and TTLs null when unknown. */
  record Converted(Object[] values, Long[] writetimes, Long[] ttls) {}

  /** A row that cannot be written, and why. */
  static final class BadRow extends Exception {
    private static final long serialVersionUID = 1L;

    BadRow(String reason) {
      super(reason, null, false, false);
    }
  }

  private final TableMetadata table;
  private final List<Column> columns;
  private final boolean counterTable;
  private final boolean carriesWritetimes;

  private ImportPlan(TableMetadata table, List<Column> columns) {
    this.table = table;
    this.columns = List.copyOf(columns);
    this.counterTable = Tables.isCounterTable(table);
    this.carriesWritetimes = columns.stream().anyMatch(c -> c.writetime() >= 0 || c.ttl() >= 0);
  }

  /**
   * Matches the source's columns to the table's.
   *
   * @throws IllegalArgumentException naming every column that is missing, unknown or of an incompatible type
   */
  static ImportPlan of(TableMetadata table, List<SourceColumn> source, SourceFormat format, String describeSource) {
    List<String> problems = new ArrayList<>();
    Map<String, ColumnMetadata> byName = new HashMap<>();
    table.getColumns().values().forEach(c -> byName.put(c.getName().asInternal(), c));
    Set<CqlIdentifier> partitionKey = new HashSet<>();
    table.getPartitionKey().forEach(c -> partitionKey.add(c.getName()));
    Set<CqlIdentifier> clustering = new HashSet<>();
    table.getClusteringColumns().keySet().forEach(c -> clustering.add(c.getName()));

    Map<String, Integer> matched = new HashMap<>();
    List<Integer> unmatched = new ArrayList<>();
    for (int i = 0; i < source.size(); i++) {
      ColumnMetadata target = match(byName, source.get(i).name());
      if (target == null || matched.containsKey(target.getName().asInternal())) {
        unmatched.add(i);
      } else {
        matched.put(target.getName().asInternal(), i);
      }
    }
    Map<String, Integer> writetimes = new HashMap<>();
    Map<String, Integer> ttls = new HashMap<>();
    for (int i : unmatched) {
      String name = source.get(i).name();
      String column = companionOf(name, matched, table, partitionKey, clustering);
      if (column != null) {
        (name.endsWith("_writetime") ? writetimes : ttls).put(column, i);
      } else {
        problems.add(String.format("unknown column %s (%s): %s has no such column", name,
            source.get(i).describeType(), qualified(table)));
      }
    }
    List<Column> columns = new ArrayList<>();
    for (ColumnMetadata target : table.getColumns().values()) {
      String name = target.getName().asInternal();
      Role role = partitionKey.contains(target.getName()) ? Role.PARTITION_KEY
          : clustering.contains(target.getName()) ? Role.CLUSTERING
          : target.isStatic() ? Role.STATIC : Role.REGULAR;
      Integer s = matched.get(name);
      if (s == null) {
        if (role == Role.PARTITION_KEY || role == Role.CLUSTERING) {
          problems.add(String.format("missing key column %s (%s): not in the source", name,
              CqlTypes.text(target.getType())));
        }
        continue;
      }
      Conversions.Resolved value = Conversions.resolve(format, source.get(s), target.getType());
      if (value.problem() != null) {
        problems.add(value.problem());
        continue;
      }
      int wt = writetimes.getOrDefault(name, -1);
      int ttl = ttls.getOrDefault(name, -1);
      Conversions.Resolved wtc = wt < 0 ? null : Conversions.companion(format, source.get(wt), DataTypes.BIGINT);
      Conversions.Resolved ttlc = ttl < 0 ? null : Conversions.companion(format, source.get(ttl), DataTypes.INT);
      for (Conversions.Resolved r : new Conversions.Resolved[] {wtc, ttlc}) {
        if (r != null && r.problem() != null) {
          problems.add(r.problem());
        }
      }
      if ((wt >= 0 || ttl >= 0) && target.getType().equals(DataTypes.COUNTER)) {
        problems.add(String.format("column %s: a counter has no writetime or TTL to restore", name));
      }
      columns.add(new Column(target, role, s, value.converter(), wt, wtc == null ? null : wtc.converter(), ttl,
          ttlc == null ? null : ttlc.converter()));
    }
    if (Tables.isCounterTable(table) && columns.stream().noneMatch(c -> c.type().equals(DataTypes.COUNTER))) {
      problems.add(String.format("no counter column of %s is in the source", qualified(table)));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.format("Cannot import %s into %s: %s (source columns: %s; target "
          + "columns: %s)", describeSource, qualified(table), String.join("; ", problems),
          source.stream().map(c -> c.name() + " " + c.describeType()).collect(Collectors.joining(", ")),
          table.getColumns().values().stream().map(c -> c.getName().asInternal() + " " + CqlTypes.text(c.getType()))
              .collect(Collectors.joining(", "))));
    }
    return new ImportPlan(table, columns);
  }

  private static ColumnMetadata match(Map<String, ColumnMetadata> byName, String name) {
    ColumnMetadata exact = byName.get(name);
    if (exact != null) {
      return exact;
    }
    List<ColumnMetadata> folded = byName.values().stream()
        .filter(c -> c.getName().asInternal().equalsIgnoreCase(name)).toList();
    return folded.size() == 1 ? folded.get(0) : null;
  }

  /** The target column whose write time or TTL {@code name} carries, or null. */
  private static String companionOf(String name, Map<String, Integer> matched, TableMetadata table,
      Set<CqlIdentifier> partitionKey, Set<CqlIdentifier> clustering) {
    for (String suffix : new String[] {"_writetime", "_ttl"}) {
      if (name.endsWith(suffix)) {
        String column = name.substring(0, name.length() - suffix.length());
        if (matched.containsKey(column)) {
          ColumnMetadata c = table.getColumn(CqlIdentifier.fromInternal(column)).orElseThrow();
          if (!partitionKey.contains(c.getName()) && !clustering.contains(c.getName())) {
            return column;
          }
        }
      }
    }
    return null;
  }

  static String qualified(TableMetadata table) {
    return RangeQuery.qualified(table.getKeyspace(), table.getName());
  }

  TableMetadata table() {
    return table;
  }

  /** The target columns the source feeds, in the table's order. */
  List<Column> columns() {
    return columns;
  }

  /** Whether the table has counter columns (then every regular column is a counter). */
  boolean counterTable() {
    return counterTable;
  }

  /** Whether the source carries write times or TTLs of some column. */
  boolean carriesWritetimes() {
    return carriesWritetimes;
  }

  /**
   * The first list column (not frozen) that the source gives write times for, as CQL, or null. Such a column must
   * never be written twice: each write of a list adds new cells, all with the source's write time, and deletes only
   * the cells older than that time, so a second write keeps the first's elements and adds them again (a write at the
   * current time replaces the list). Rewriting a row of this import garbles it.
   */
  String listWithWritetimes() {
    for (Column c : columns) {
      if (c.writetime() >= 0 && c.target().getType() instanceof ListType list && !list.isFrozen()) {
        return c.target().getName().asCql(true);
      }
    }
    return null;
  }

  /**
   * Converts a raw row. Values Cassandra would store as null (empty non-frozen collections) become null.
   *
   * @throws BadRow naming the column whose value cannot be converted
   */
  Converted convert(Object[] raw) throws BadRow {
    Object[] values = new Object[columns.size()];
    Long[] writetimes = new Long[columns.size()];
    Long[] ttls = new Long[columns.size()];
    for (int i = 0; i < values.length; i++) {
      Column c = columns.get(i);
      values[i] = convert(c.name(), c.type(), c.converter(), raw[c.source()]);
      if (values[i] != null && Conversions.storedAsNull(c.type(), values[i])) {
        values[i] = null;
      }
      if (c.writetime() >= 0) {
        writetimes[i] = (Long) convert(c.name() + "_writetime", DataTypes.BIGINT, c.writetimeConverter(),
            raw[c.writetime()]);
      }
      if (c.ttl() >= 0) {
        ttls[i] = (Long) convert(c.name() + "_ttl", DataTypes.INT, c.ttlConverter(), raw[c.ttl()]);
      }
    }
    return new Converted(values, writetimes, ttls);
  }

  private static Object convert(String column, DataType type, Conversions.Converter converter, Object raw)
      throws BadRow {
    if (raw == null) {
      return null;
    }
    try {
      return converter.convert(raw);
    } catch (RuntimeException e) {
      String message = e.getMessage() != null ? e.getMessage() : e.toString();
      throw new BadRow(String.format("column %s (%s): %s", column, CqlTypes.text(type), message));
    }
  }
}
