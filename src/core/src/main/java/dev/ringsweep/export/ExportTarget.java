package dev.ringsweep.export;

import java.nio.file.Path;

/**
 * Where and in which format an export writes. Core writes directories of CSV and JSON lines files
 * ({@link #csv}, {@link #jsonLines}); the module {@code dev.ringsweep:ringsweep-iceberg} adds Apache Iceberg tables
 * and Parquet files ({@code dev.ringsweep.iceberg.ExportTargets}). Targets are immutable; each {@code with...} method
 * returns a new target.
 */
public interface ExportTarget {

  /** Default target data file size: 512 MiB (Iceberg's own default, for every format). */
  long DEFAULT_TARGET_FILE_SIZE_BYTES = 512L * 1024 * 1024;

  /**
   * A directory of CSV files (RFC 4180, a header line, uncompressed by default), created if absent, which must be
   * empty unless resuming.
   */
  static CsvTarget csv(Path directory) {
    return new CsvTarget(directory, TextCompression.NONE, DEFAULT_TARGET_FILE_SIZE_BYTES);
  }

  /**
   * A directory of JSON lines files (one JSON object per row, uncompressed by default), created if absent, which
   * must be empty unless resuming.
   */
  static JsonLinesTarget jsonLines(Path directory) {
    return new JsonLinesTarget(directory, TextCompression.NONE, DEFAULT_TARGET_FILE_SIZE_BYTES);
  }

  /** A short description for logs and the checkpoint, never containing credentials. */
  String describe();

  /**
   * Checks a target file size (the size at which a writer rolls to a new file), for the targets here and in other
   * modules.
   *
   * @throws IllegalArgumentException naming the size if it is not positive
   */
  static void checkFileSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException(String.format("Invalid target file size: %s (must be > 0)", bytes));
    }
  }
}
