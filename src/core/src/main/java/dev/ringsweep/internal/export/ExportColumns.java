package dev.ringsweep.internal.export;

import dev.ringsweep.export.ExportOptions;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The selection of an export: which table columns, in which order, plus the writetime/TTL columns, as quoted CQL
 * selectors and as output column names.
 *
 * @param selectors the CQL selectors, e.g. {@code "id"}, {@code writetime("v")}
 * @param names the output column names, one per selector
 */
public record ExportColumns(List<String> selectors, List<String> names) {

  /**
   * The selection {@code options} make of {@code table}.
   *
   * @throws IllegalArgumentException naming an unknown or duplicate column, or a key column given for writetime/TTL
   */
  public static ExportColumns of(TableMetadata table, ExportOptions options) {
    List<ColumnMetadata> chosen = new ArrayList<>();
    if (options.columns().isEmpty()) {
      chosen.addAll(table.getColumns().values());
    } else {
      for (String name : options.columns()) {
        chosen.add(column(table, name));
      }
    }
    List<String> selectors = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (ColumnMetadata c : chosen) {
      selectors.add(c.getName().asCql(true));
      names.add(c.getName().asInternal());
    }
    Set<CqlIdentifier> primaryKey = new HashSet<>();
    table.getPrimaryKey().forEach(c -> primaryKey.add(c.getName()));
    for (String name : options.writetimeAndTtl()) {
      ColumnMetadata c = column(table, name);
      if (primaryKey.contains(c.getName())) {
        throw new IllegalArgumentException(
            String.format("Invalid writetime/TTL column: %s (a primary key column has no writetime or TTL)",
                c.getName().asCql(true)));
      }
      selectors.add("writetime(" + c.getName().asCql(true) + ")");
      names.add(c.getName().asInternal() + "_writetime");
      selectors.add("ttl(" + c.getName().asCql(true) + ")");
      names.add(c.getName().asInternal() + "_ttl");
    }
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException(String.format("Duplicate export column: %s", n));
      }
    }
    return new ExportColumns(List.copyOf(selectors), List.copyOf(names));
  }

  private static ColumnMetadata column(TableMetadata table, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Invalid column name: '" + name + "' (must not be blank)");
    }
    return table.getColumn(CqlIdentifier.fromCql(name)).orElseThrow(() -> new IllegalArgumentException(
        String.format("Unknown column: %s (columns of %s: %s)", name, table.getName().asCql(true),
            table.getColumns().keySet().stream().map(id -> id.asCql(true)).collect(Collectors.joining(", ")))));
  }

  /** The CQL selection list. */
  String selection() {
    return String.join(", ", selectors);
  }
}
