package dev.ringsweep.imports;

import java.util.OptionalLong;

/**
 * What the verification of an import found. Counts are exact token-range counts of the target table; the checksum
 * is an order-independent 64-bit hash over every imported column of every row (see {@code docs/import.md}).
 *
 * @param verification what was checked
 * @param sourceRows rows the source holds by its own metadata (Parquet footers, Iceberg manifests), or -1 when it
 *     does not say (text files, Iceberg files with deletes)
 * @param rowsRead rows read from the source
 * @param rowsWritten rows the import wrote
 * @param targetRowsBefore rows in the target before the import, or -1 when not counted
 * @param targetRowsAfter rows in the target after the import, or -1 when not counted
 * @param sourceChecksum checksum of the rows written, or null when not computed
 * @param targetChecksum checksum of the target read back, or null when not computed (or the target was not empty
 *     before the import)
 */
public record VerificationResult(
    Verification verification,
    long sourceRows,
    long rowsRead,
    long rowsWritten,
    long targetRowsBefore,
    long targetRowsAfter,
    Long sourceChecksum,
    Long targetChecksum) {

  /** The result of an import that ran no verification. */
  public static VerificationResult notRun() {
    return new VerificationResult(Verification.NONE, -1, -1, -1, -1, -1, null, null);
  }

  /** Whether a verification ran. */
  public boolean ran() {
    return verification != Verification.NONE;
  }

  /** Rows the target should hold after the import: those before plus those written; empty if not counted. */
  public OptionalLong expectedTargetRows() {
    return targetRowsBefore < 0 ? OptionalLong.empty() : OptionalLong.of(targetRowsBefore + rowsWritten);
  }

  /**
   * Whether everything checked agrees: the source's metadata row count (when it has one) equals the rows read, the
   * target grew by exactly the rows written, and the checksums (when both computed) are equal. True when nothing ran.
   */
  public boolean matches() {
    if (!ran()) {
      return true;
    }
    boolean source = sourceRows < 0 || sourceRows == rowsRead;
    boolean count = targetRowsAfter == expectedTargetRows().orElse(-2);
    boolean checksum = sourceChecksum == null || targetChecksum == null || sourceChecksum.equals(targetChecksum);
    return source && count && checksum;
  }

  /** A one-line account of the checks, for messages and logs. */
  public String describe() {
    if (!ran()) {
      return "not verified";
    }
    StringBuilder s = new StringBuilder();
    s.append(String.format("source %s rows%s, %s read, %s written; target %s rows before, %s after (expected %s)",
        sourceRows < 0 ? "?" : sourceRows, sourceRows >= 0 && sourceRows != rowsRead ? " (MISMATCH)" : "", rowsRead,
        rowsWritten, targetRowsBefore, targetRowsAfter, expectedTargetRows().orElse(-1)));
    if (sourceChecksum != null && targetChecksum != null) {
      s.append(String.format("; checksum source %016x, target %016x%s", sourceChecksum, targetChecksum,
          sourceChecksum.equals(targetChecksum) ? "" : " (MISMATCH)"));
    } else if (verification == Verification.COUNT_AND_CHECKSUM) {
      s.append("; checksum not compared (the target was not empty before the import)");
    }
    long expected = expectedTargetRows().orElse(targetRowsAfter);
    if (targetRowsAfter >= 0 && targetRowsAfter < expected) {
      s.append(String.format("; %d row(s) fewer than expected: source rows that share a primary key with each other "
          + "or with rows already in the target overwrite them (an upsert), or rows were deleted meanwhile; "
          + "import with Verification.NONE when overwriting is intended", expected - targetRowsAfter));
    } else if (targetRowsAfter > expected) {
      s.append(String.format("; %d row(s) more than expected: something else wrote to the table during the import",
          targetRowsAfter - expected));
    }
    return s.toString();
  }
}
