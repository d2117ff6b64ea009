package dev.ringsweep.imports;

import java.nio.file.Path;
import java.util.Objects;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What an import reads: an Apache Iceberg table (optionally at an older snapshot), Parquet files, or the CSV / JSON
 * lines output of an export. Sources are immutable values; each {@code with...} / {@code at...} method returns a new
 * one. Column types come from what export recorded ({@code ringsweep.cql.type.<column>} in Iceberg table properties,
 * Parquet file metadata, or {@code _ringsweep_schema.json} beside text files); see {@code docs/import.md} for files
 * from elsewhere.
 */
public sealed interface ImportSource permits IcebergSource, ParquetSource, CsvSource, JsonLinesSource {

  /**
   * An Iceberg table in a catalog kept inside {@code warehouse}, as export writes it: the JDBC catalog in the SQLite
   * file {@code warehouse/catalog.db} when it exists, else a Hadoop catalog (override with
   * {@link IcebergSource#withCatalogKind}). The current snapshot is read unless {@link IcebergSource#atSnapshot}.
   *
   * @param warehouse the warehouse directory; must exist
   * @param namespaceAndTable the table identifier, e.g. {@code "db.orders"}
   */
  static IcebergSource iceberg(Path warehouse, String namespaceAndTable) {
    return IcebergSource.inWarehouse(warehouse, namespaceAndTable);
  }

  /** An Iceberg table in the user's own catalog (REST, Glue, Nessie, JDBC...); the catalog is not closed. */
  static IcebergSource iceberg(Catalog catalog, TableIdentifier table) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(table, "table");
    return new IcebergSource(null, null, catalog, table, null);
  }

  /**
   * One Parquet file, or a directory whose {@code *.parquet} files (recursively; names starting with {@code _} or
   * {@code .} skipped) all have the same schema. Files are read in parallel by row group.
   */
  static ParquetSource parquet(Path fileOrDirectory) {
    return new ParquetSource(fileOrDirectory);
  }

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
