package dev.ringsweep.imports;

/** What an import checks after writing. */
public enum Verification {
  /** No check. */
  NONE,
  /**
   * Counts the target by token range before and after the import (at the import's consistency level) and checks
   * that it grew by exactly the rows written; assumes the source's keys are distinct and new to the target.
   */
  COUNT,
  /**
   * As {@link #COUNT}, and compares an order-independent checksum of every imported column of every row written with
   * one computed over the whole target table read back; only compared when the target was empty before.
   */
  COUNT_AND_CHECKSUM
}
