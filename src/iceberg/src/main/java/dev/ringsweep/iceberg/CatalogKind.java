package dev.ringsweep.iceberg;

/** The kind of Iceberg catalog kept inside a warehouse directory. */
public enum CatalogKind {
  /**
   * Iceberg's JDBC catalog in the SQLite file {@code catalog.db} of the warehouse, under the catalog name
   * {@value IcebergTarget#CATALOG_NAME}: the default. Commits are conditional updates; Spark, Trino and PyIceberg
   * (SQL catalog) open it.
   */
  JDBC_SQLITE,
  /** Iceberg's Hadoop catalog: the warehouse directory itself. Not safe for concurrent writers on a local disk. */
  HADOOP
}
