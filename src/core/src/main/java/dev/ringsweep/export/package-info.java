/**
 * Export: a Cassandra table to an Iceberg table or to a directory of Parquet, CSV or JSON lines files, through
 * {@link dev.ringsweep.TokenAwareBulkOperator#export}. The public types are the targets
 * ({@link dev.ringsweep.export.ExportTarget} and the CSV and JSON lines records here; Iceberg and Parquet come from
 * {@code dev.ringsweep.iceberg.ExportTargets} in the {@code ringsweep-iceberg} module), the options
 * ({@link dev.ringsweep.export.ExportOptions}, {@link dev.ringsweep.export.Resume},
 * {@link dev.ringsweep.export.TextCompression}) and the result ({@link dev.ringsweep.export.ExportResult}). The
 * engine (readers, writers, checkpoint, lock) lives in {@code dev.ringsweep.internal.export}, which is not API. See
 * {@code docs/export.md}.
 */
package dev.ringsweep.export;
