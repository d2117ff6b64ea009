/**
 * Bulk writes through the driver's batches, measured: {@link dev.ringsweep.batch.BatchWriter}, built with
 * {@link dev.ringsweep.batch.BatchWriterBuilder}, writes LOGGED, UNLOGGED or COUNTER batches or concurrent single
 * statements, and reports each call in a {@link dev.ringsweep.batch.WriteResult} and its running totals in
 * {@link dev.ringsweep.batch.BatchMetrics}. Everything else in the package is package-private.
 */
package dev.ringsweep.batch;
