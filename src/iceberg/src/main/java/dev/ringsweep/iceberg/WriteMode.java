package dev.ringsweep.iceberg;

/** What an Iceberg export does with the rows already in the table. */
public enum WriteMode {
  /** Keep them and add the exported rows; the default. */
  APPEND,
  /** Replace them by the exported rows, in the same single commit. */
  OVERWRITE
}
