package dev.ringsweep.iceberg;

import dev.ringsweep.export.ExportTarget;
import java.nio.file.Path;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The export targets of this module: Apache Iceberg tables and directories of Parquet files, beside core's
 * {@link ExportTarget#csv} and {@link ExportTarget#jsonLines}. Pass them to
 * {@link dev.ringsweep.TokenAwareBulkOperator#export}.
 */
public final class ExportTargets {

  private ExportTargets() {}

  /**
   * An Iceberg table in a catalog kept inside {@code warehouse}: by default a JDBC catalog in the SQLite file
   * {@code warehouse/catalog.db} (the layout of PyIceberg's SQL catalog; Spark, Trino and PyIceberg open it; needs
   * {@code org.xerial:sqlite-jdbc} on the classpath), or a Hadoop catalog with {@link IcebergTarget#withCatalogKind}.
   *
   * @param warehouse the warehouse directory, created if absent
   * @param namespaceAndTable the table identifier, e.g. {@code "db.orders"}
   * @throws IllegalArgumentException if the identifier has no namespace or an unsafe name
   */
  public static IcebergTarget iceberg(Path warehouse, String namespaceAndTable) {
    return IcebergTarget.inWarehouse(warehouse, namespaceAndTable);
  }

  /** An Iceberg table in the user's own catalog (REST, Glue, Nessie, JDBC...); the catalog is not closed. */
  public static IcebergTarget iceberg(Catalog catalog, TableIdentifier table) {
    return IcebergTarget.inCatalog(catalog, table);
  }

  /** A directory of Parquet files (zstd by default), created if absent, which must be empty unless resuming. */
  public static ParquetTarget parquet(Path directory) {
    return new ParquetTarget(directory, ParquetCompression.ZSTD, ExportTarget.DEFAULT_TARGET_FILE_SIZE_BYTES);
  }
}
