/**
 * Import: an Iceberg table, Parquet files or an export's CSV / JSON lines back into a Cassandra table, through
 * {@link dev.ringsweep.TokenAwareBulkOperator#importFrom}. The public types are the source
 * ({@link dev.ringsweep.imports.ImportSource} and its records), the options
 * ({@link dev.ringsweep.imports.ImportOptions}, {@link dev.ringsweep.imports.ErrorBudget},
 * {@link dev.ringsweep.imports.Verification}) and the results
 * ({@link dev.ringsweep.imports.ImportResult}, {@link dev.ringsweep.imports.VerificationResult}). The engine (readers, the schema
 * check, conversions, statements, workers, checksum) lives in {@code dev.ringsweep.internal.imports}, which is not
 * API. See {@code docs/import.md}.
 */
package dev.ringsweep.imports;
