package dev.ringsweep.internal.export;

import java.util.List;

/**
 * The files one export worker is writing between two checkpoints: rows go in, finished files come out of
 * {@link #finish()}. Rolls to a new file at the target size. Used by one thread at a time.
 */
public interface SegmentWriter {

  /** Writes one row of driver Java values, one per exported column. */
  void write(Object[] row);

  /** Bytes written so far (approximate while files are open). */
  long bytes();

  /** Closes every open file and returns all files of this segment. */
  List<WrittenFile> finish();

  /** Closes and deletes every file of this segment, ignoring errors; for a failed export. */
  void abort();
}
