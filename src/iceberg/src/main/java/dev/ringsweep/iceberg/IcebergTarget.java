package dev.ringsweep.iceberg;

import dev.ringsweep.export.ExportTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * An Iceberg table as export target; made by {@link ExportTargets#iceberg(Path, String)} or
 * {@link ExportTargets#iceberg(Catalog, TableIdentifier)}. Data files are Parquet. The table is created with the
 * mapped schema if absent (in the same commit as the data). Rows are appended by default
 * ({@link WriteMode#APPEND}); {@link WriteMode#OVERWRITE} replaces the table's rows. However many writers ran, the
 * export ends in ONE atomic commit, so a failed export leaves the table as it was.
 *
 * <p>Defaults: {@link CatalogKind#JDBC_SQLITE} for a warehouse, no partitioning, {@link ParquetCompression#ZSTD},
 * target file size {@value ExportTarget#DEFAULT_TARGET_FILE_SIZE_BYTES} bytes.
 *
 * @param warehouse the warehouse directory holding the catalog, or null when {@code catalog} is given; kept
 *     absolute and normalized, so that checkpoints name it the same whichever way it was given
 * @param catalogKind the kind of catalog kept in {@code warehouse} (ignored with a user catalog)
 * @param catalog the user's catalog, or null when {@code warehouse} is given
 * @param table the table identifier
 * @param writeMode append or overwrite
 * @param partitionBy partition fields of a table the export creates (ignored for an existing table)
 * @param compression Parquet compression codec
 * @param targetFileSizeBytes size at which a writer rolls to a new data file; positive
 */
public record IcebergTarget(
    Path warehouse,
    CatalogKind catalogKind,
    Catalog catalog,
    TableIdentifier table,
    WriteMode writeMode,
    List<PartitionField> partitionBy,
    ParquetCompression compression,
    long targetFileSizeBytes)
    implements ExportTarget {

  /** The name of the catalog kept in a warehouse (the {@code catalog_name} of the JDBC catalog's rows). */
  public static final String CATALOG_NAME = "ringsweep";

  /** Validates the components; exactly one of {@code warehouse} and {@code catalog} is given. */
  public IcebergTarget {
    Objects.requireNonNull(catalogKind, "catalogKind");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(writeMode, "writeMode");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(partitionBy, "partitionBy");
    for (int i = 0; i < partitionBy.size(); i++) {
      if (partitionBy.get(i) == null) {
        throw new IllegalArgumentException(String.format("Invalid partition field: null at position %d of %d",
            i + 1, partitionBy.size()));
      }
    }
    partitionBy = List.copyOf(partitionBy);
    if ((warehouse == null) == (catalog == null)) {
      throw new IllegalArgumentException(
          String.format("Invalid Iceberg target: warehouse %s, catalog %s (exactly one must be given)", warehouse,
              catalog));
    }
    if (table.namespace().isEmpty()) {
      throw new IllegalArgumentException(
          String.format("Invalid table identifier: %s (must have a namespace, e.g. db.orders)", table));
    }
    IcebergNames.check(table);
    warehouse = warehouse == null ? null : warehouse.toAbsolutePath().normalize();
    ExportTarget.checkFileSize(targetFileSizeBytes);
  }

  static IcebergTarget inWarehouse(Path warehouse, String namespaceAndTable) {
    Objects.requireNonNull(warehouse, "warehouse");
    Objects.requireNonNull(namespaceAndTable, "namespaceAndTable");
    return new IcebergTarget(warehouse, CatalogKind.JDBC_SQLITE, null, IcebergNames.parse(namespaceAndTable),
        WriteMode.APPEND, List.of(), ParquetCompression.ZSTD, DEFAULT_TARGET_FILE_SIZE_BYTES);
  }

  static IcebergTarget inCatalog(Catalog catalog, TableIdentifier table) {
    Objects.requireNonNull(catalog, "catalog");
    return new IcebergTarget(null, CatalogKind.JDBC_SQLITE, catalog, table, WriteMode.APPEND, List.of(),
        ParquetCompression.ZSTD, DEFAULT_TARGET_FILE_SIZE_BYTES);
  }

  /**
   * This target with another kind of warehouse catalog.
   *
   * @throws IllegalArgumentException for a target in a catalog object, which has no warehouse catalog to choose
   */
  public IcebergTarget withCatalogKind(CatalogKind kind) {
    if (catalog != null) {
      throw new IllegalArgumentException(String.format("Invalid catalog kind: %s (it chooses the catalog of a "
          + "warehouse directory; this target is in catalog %s)", kind, catalog.name()));
    }
    return new IcebergTarget(warehouse, kind, catalog, table, writeMode, partitionBy, compression,
        targetFileSizeBytes);
  }

  /** This target with another write mode. */
  public IcebergTarget withWriteMode(WriteMode mode) {
    return new IcebergTarget(warehouse, catalogKind, catalog, table, mode, partitionBy, compression,
        targetFileSizeBytes);
  }

  /** This target partitioning a table it creates by these fields, in order. */
  public IcebergTarget withPartitionBy(PartitionField... fields) {
    Objects.requireNonNull(fields, "fields");
    return new IcebergTarget(warehouse, catalogKind, catalog, table, writeMode, java.util.Arrays.asList(fields),
        compression, targetFileSizeBytes);
  }

  /** This target with another Parquet compression. */
  public IcebergTarget withCompression(ParquetCompression codec) {
    return new IcebergTarget(warehouse, catalogKind, catalog, table, writeMode, partitionBy, codec,
        targetFileSizeBytes);
  }

  /** This target with another target data file size. */
  public IcebergTarget withTargetFileSizeBytes(long bytes) {
    return new IcebergTarget(warehouse, catalogKind, catalog, table, writeMode, partitionBy, compression, bytes);
  }

  @Override
  public String describe() {
    String where = warehouse != null ? warehouse + " (" + catalogKind + ")" : "catalog " + catalog.name();
    return "iceberg " + table + " in " + where;
  }
}
