package dev.ringsweep.imports;

import java.nio.file.Path;

/**
 * What an import reads: core reads the CSV / JSON lines output of an export ({@link #csv}, {@link #jsonLines}); the
 * module {@code dev.ringsweep:ringsweep-iceberg} adds Apache Iceberg tables (optionally at an older snapshot) and
 * Parquet files ({@code dev.ringsweep.iceberg.ImportSources}). Sources are immutable values; each {@code with...} / {@code at...} method returns a new
 * one. Column types come from what export recorded ({@code ringsweep.cql.type.<column>} in Iceberg table properties,
 * Parquet file metadata, or {@code _ringsweep_schema.json} beside text files); see {@code docs/import.md} for files
 * from elsewhere.
 */
public interface ImportSource {

  /**
   * One CSV file or a directory of {@code *.csv} / {@code *.csv.gz} files as export writes them (RFC 4180, a header
   * line, an empty unquoted cell for null); the CQL types come from {@code _ringsweep_schema.json} beside them, else
   * the target's types are used. Files are read in parallel, one file per reader.
   */
  static CsvSource csv(Path fileOrDirectory) {
    return new CsvSource(fileOrDirectory);
  }

  /**
   * One JSON lines file or a directory of {@code *.jsonl} / {@code *.jsonl.gz} files as export writes them (one
   * object per line); the CQL types come from {@code _ringsweep_schema.json} beside them, else the target's types.
   */
  static JsonLinesSource jsonLines(Path fileOrDirectory) {
    return new JsonLinesSource(fileOrDirectory);
  }

  /** A short description for logs and messages, never containing credentials. */
  String describe();
}
