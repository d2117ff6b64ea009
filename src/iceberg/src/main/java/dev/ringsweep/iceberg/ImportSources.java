package dev.ringsweep.iceberg;

import dev.ringsweep.imports.ImportSource;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The import sources of this module: Apache Iceberg tables and Parquet files, beside core's
 * {@link ImportSource#csv} and {@link ImportSource#jsonLines}. Pass them to
 * {@link dev.ringsweep.TokenAwareBulkOperator#importFrom}.
 */
public final class ImportSources {

  private ImportSources() {}

  /**
   * An Iceberg table in a catalog kept inside {@code warehouse}, as export writes it: the JDBC catalog in the SQLite
   * file {@code warehouse/catalog.db} when it exists, else a Hadoop catalog (override with
   * {@link IcebergSource#withCatalogKind}). The current snapshot is read unless {@link IcebergSource#atSnapshot}.
   *
   * @param warehouse the warehouse directory; must exist
   * @param namespaceAndTable the table identifier, e.g. {@code "db.orders"}
   */
  public static IcebergSource iceberg(Path warehouse, String namespaceAndTable) {
    return IcebergSource.inWarehouse(warehouse, namespaceAndTable);
  }

  /** An Iceberg table in the user's own catalog (REST, Glue, Nessie, JDBC...); the catalog is not closed. */
  public static IcebergSource iceberg(Catalog catalog, TableIdentifier table) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(table, "table");
    return new IcebergSource(null, null, catalog, table, null);
  }

  /**
   * One Parquet file, or a directory whose {@code *.parquet} files (recursively; names starting with {@code _} or
   * {@code .} skipped) all have the same schema. Files are read in parallel by row group.
   */
  public static ParquetSource parquet(Path fileOrDirectory) {
    return new ParquetSource(fileOrDirectory);
  }
}
