package dev.ringsweep.internal.format;

import com.datastax.oss.driver.api.core.type.DataType;
import java.util.Objects;

/**
 * One column of an exported (or imported) CQL row: its name as stored by Cassandra (the internal, unquoted form) and
 * its CQL type.
 *
 * @param name the column name, unquoted, case preserved; not empty
 * @param type the column's CQL type
 */
public record CqlColumn(String name, DataType type) {

  /** Validates the name and the type. */
  public CqlColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Invalid column name: '' (must not be empty)");
    }
  }

  /** The CQL type as CQL text, with {@code frozen<>} markers, e.g. {@code map<text, frozen<list<int>>>}. */
  public String cqlType() {
    return type.asCql(true, true);
  }
}
