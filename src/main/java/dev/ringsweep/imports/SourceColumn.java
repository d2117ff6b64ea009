package dev.ringsweep.imports;

import java.util.Objects;
import org.apache.iceberg.types.Type;

/**
 * One column of an import source.
 *
 * @param name the column name as the source spells it
 * @param icebergType its Iceberg type (Iceberg and Parquet sources), or null for text sources
 * @param recordedCqlType the CQL type text export recorded for it, or null when none was recorded
 */
record SourceColumn(String name, Type icebergType, String recordedCqlType) {

  SourceColumn {
    Objects.requireNonNull(name, "name");
  }

  /** The source type as messages show it: the recorded CQL type, else the Iceberg type. */
  String describeType() {
    if (recordedCqlType != null) {
      return recordedCqlType;
    }
    String stored = icebergType != null ? CqlTypes.describe(icebergType) : "text";
    return stored + " (no CQL type recorded)";
  }
}
