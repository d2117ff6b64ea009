package dev.ringsweep.export;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The writing side of one export into one target: makes the segment writers of the worker threads and, at the end,
 * makes the written files the output (for Iceberg: ONE commit). Thread-safe: workers call {@link #newSegment}
 * concurrently.
 */
interface OutputFormat extends AutoCloseable {

  /**
   * Opens the output of a target for one run of an export.
   *
   * @param mapping the exported columns
   * @param properties CQL type properties recorded with the data (table properties, file metadata)
   * @param runId unique id of this run, part of every file name
   * @param resume whether this run continues an interrupted one (a directory may then hold files)
   */
  static OutputFormat open(ExportTarget target, dev.ringsweep.format.IcebergRowMapping mapping,
      java.util.Map<String, String> properties, String runId, Resume resume) {
    if (target instanceof IcebergTarget iceberg) {
      return IcebergOutput.open(iceberg, mapping, properties, runId);
    }
    return DirectoryOutput.open(target, mapping, properties, runId, resume == Resume.RESUME);
  }

  /** A new segment for worker {@code worker}; {@code sequence} is unique among that worker's segments. */
  SegmentWriter newSegment(int worker, int sequence);

  /**
   * Where the checkpoint of an export to {@code target} lives by default: inside a directory target, under the
   * warehouse for an Iceberg warehouse target, nowhere (null) for a user catalog.
   */
  static Path defaultCheckpointFile(ExportTarget target) {
    if (target instanceof IcebergTarget iceberg) {
      return iceberg.warehouse() == null ? null
          : iceberg.warehouse().resolve("_ringsweep_checkpoints").resolve(iceberg.table() + ".json");
    }
    return DirectoryOutput.directory(target).resolve(DirectoryOutput.CHECKPOINT_FILE);
  }

  /**
   * Deletes files an interrupted earlier run of the same export left behind that are not among {@code kept}:
   * files of those runs ({@code runs}) only.
   */
  void deleteStrays(Collection<String> runs, Collection<WrittenFile> kept);

  /** Publishes the files as the output: for Iceberg one atomic commit; for directories nothing left to do. */
  void commit(List<WrittenFile> files);

  /** Deletes these files (for a failed export without checkpoint). */
  void discard(List<WrittenFile> files);

  @Override
  void close();
}
