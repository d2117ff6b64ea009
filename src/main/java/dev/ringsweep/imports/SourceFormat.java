package dev.ringsweep.imports;

/** What the raw values of a source are, which decides how they are converted. */
enum SourceFormat {
  /** Iceberg generic values (Iceberg tables and Parquet files). */
  ICEBERG,
  /** CSV cells: strings, null for an empty unquoted cell. */
  CSV,
  /** JSON values ({@code JsonNode}), null for an absent member. */
  JSON
}
