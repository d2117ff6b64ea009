package dev.ringsweep.internal.imports;

import java.util.Objects;

/**
 * One column of an import source.
 *
 * @param name the column name as the source spells it
 * @param storedType how the source stores it, in the terms of its {@link SourceFormat} (an Iceberg type for Iceberg
 *     and Parquet sources), or null for text sources
 * @param storedTypeText the stored type as messages show it, or null for text sources
 * @param recordedCqlType the CQL type text export recorded for it, or null when none was recorded
 */
public record SourceColumn(String name, Object storedType, String storedTypeText, String recordedCqlType) {

  public SourceColumn {
    Objects.requireNonNull(name, "name");
  }

  /** A column of a text source: no stored type. */
  public static SourceColumn text(String name, String recordedCqlType) {
    return new SourceColumn(name, null, null, recordedCqlType);
  }

  /** This column without its recorded CQL type. */
  public SourceColumn withoutRecordedType() {
    return new SourceColumn(name, storedType, storedTypeText, null);
  }

  /** The source type as messages show it: the recorded CQL type, else the stored type. */
  public String describeType() {
    if (recordedCqlType != null) {
      return recordedCqlType;
    }
    String stored = storedTypeText != null ? storedTypeText : "text";
    return stored + " (no CQL type recorded)";
  }
}
