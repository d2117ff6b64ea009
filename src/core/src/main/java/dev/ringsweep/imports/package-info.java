/**
 * Import: an Iceberg table, Parquet files or an export's CSV / JSON lines back into a Cassandra table, through
 * {@link dev.ringsweep.TokenAwareBulkOperator#importFrom}. The public types are the source
 * ({@link dev.ringsweep.imports.ImportSource} and its records), the options
 * ({@link dev.ringsweep.imports.ImportOptions}, {@link dev.ringsweep.imports.ErrorBudget},
 * {@link dev.ringsweep.imports.Verification}) and the results
 * ({@link dev.ringsweep.imports.ImportResult}, {@link dev.ringsweep.imports.VerificationResult});
 * {@link dev.ringsweep.imports.ImportOperation} is the operator's entry into the package. Everything else (readers,
 * the schema check, conversions, statements, workers, checksum) is package-private. See {@code docs/import.md}.
 */
package dev.ringsweep.imports;
