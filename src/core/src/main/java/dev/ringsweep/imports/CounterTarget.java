package dev.ringsweep.imports;

/**
 * What an import into a counter table may find there. Counter writes add to the stored counts, so importing into
 * a table that already holds counts adds the source's counts to them, and running an import twice counts every row
 * twice.
 */
public enum CounterTarget {
  /** The default: a counter table that already holds rows is refused before anything is written. */
  EMPTY_ONLY,
  /** Add the source's counts to those already in the table (the caller has decided that this is wanted). */
  ADD_TO_EXISTING
}
