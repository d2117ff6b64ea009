package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.type.DataType;

/**
 * What the raw values of a source are, which decides how they convert to CQL values: CSV cells and JSON values
 * ({@link TextFormat}), or the values of a format module (Iceberg generic values for Iceberg tables and Parquet
 * files).
 */
public interface SourceFormat {

  /** How values of {@code source} convert to {@code target}, or why they cannot. */
  Conversions.Resolved resolve(SourceColumn source, DataType target);

  /**
   * The type of the values of a {@code <column>_writetime} or {@code <column>_ttl} column that has no recorded CQL
   * type: {@code bigint}, {@code int}, or a list of one of them (a non-frozen collection's cells).
   */
  DataType companionType(SourceColumn source, DataType scalar);

  /**
   * A raw value as a bad-records file shows it: the format's own structures made maps (named fields) and lists, so
   * that it is written as JSON; other values as they are.
   */
  default Object reportable(Object raw) {
    return raw;
  }
}
