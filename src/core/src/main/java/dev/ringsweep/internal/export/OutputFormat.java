package dev.ringsweep.internal.export;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The writing side of one export into one target: makes the segment writers of the worker threads and, at the end,
 * makes the written files the output (for Iceberg: ONE commit). Thread-safe: workers call {@link #newSegment}
 * concurrently. Opened by a {@link TargetFormat}.
 */
public interface OutputFormat extends AutoCloseable {

  /** A new segment for worker {@code worker}; {@code sequence} is unique among that worker's segments. */
  SegmentWriter newSegment(int worker, int sequence);

  /**
   * Whether the target already holds output of an earlier export: files in a directory target (other than
   * Ringsweep's own {@code _ringsweep*} files), a snapshot in an existing Iceberg table.
   */
  boolean holdsOutput();

  /**
   * Checks that every file a checkpoint records as finished is where it says.
   *
   * @throws IllegalStateException naming the first file missing
   */
  void checkFinished(Path checkpointFile, Collection<WrittenFile> files);

  /**
   * Deletes files an interrupted earlier run of the same export left behind that are not among {@code kept}:
   * files of those runs ({@code runs}) only.
   */
  void deleteStrays(Collection<String> runs, Collection<WrittenFile> kept);

  /**
   * Publishes the files as the output: for Iceberg one atomic commit, which names the run that made it (so that
   * {@link #committed} can find it); for directories nothing left to do.
   */
  void commit(List<WrittenFile> files);

  /**
   * Whether the output already holds the commit of one of {@code runs} (the runs of one export's checkpoint): a
   * commit that went through although the checkpoint was not marked complete after it (the process was killed, or
   * the checkpoint could not be written, in between). Committing those files again would publish their rows twice,
   * and deleting them as strays would break the published output. False where {@link #commit} publishes nothing
   * (directories: committing again changes nothing).
   */
  default boolean committed(Collection<String> runs) {
    return false;
  }

  /** Deletes these files (for a failed export without checkpoint). */
  void discard(List<WrittenFile> files);

  @Override
  void close();
}
