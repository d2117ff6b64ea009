package dev.ringsweep.export;

import java.nio.file.Path;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Where and in which format an export writes: an Apache Iceberg table, or a directory of Parquet, CSV or JSON lines
 * files. Targets are immutable; each {@code with...} method returns a new target.
 */
public sealed interface ExportTarget permits IcebergTarget, ParquetTarget, CsvTarget, JsonLinesTarget {

  /** Default target data file size: 512 MiB (Iceberg's own default). */
  long DEFAULT_TARGET_FILE_SIZE_BYTES = 512L * 1024 * 1024;

  /**
   * An Iceberg table in a catalog kept inside {@code warehouse}: by default a JDBC catalog in the SQLite file
   * {@code warehouse/catalog.db} (the layout of PyIceberg's SQL catalog; Spark, Trino and PyIceberg open it), or a
   * Hadoop catalog with {@link IcebergTarget#withCatalogKind}.
   *
   * @param warehouse the warehouse directory, created if absent
   * @param namespaceAndTable the table identifier, e.g. {@code "db.orders"}
   */
  static IcebergTarget iceberg(Path warehouse, String namespaceAndTable) {
    return IcebergTarget.inWarehouse(warehouse, namespaceAndTable);
  }

  /** An Iceberg table in the user's own catalog (REST, Glue, Nessie, JDBC...). */
  static IcebergTarget iceberg(Catalog catalog, TableIdentifier table) {
    return IcebergTarget.inCatalog(catalog, table);
  }

  /** A directory of Parquet files (zstd by default), created if absent, which must be empty unless resuming. */
  static ParquetTarget parquet(Path directory) {
    return new ParquetTarget(directory, ParquetCompression.ZSTD, DEFAULT_TARGET_FILE_SIZE_BYTES);
  }

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
}
