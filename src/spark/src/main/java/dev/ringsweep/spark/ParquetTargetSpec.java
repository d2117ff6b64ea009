package dev.ringsweep.spark;

import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.ParquetTarget;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * A {@link ParquetTarget} as a serializable value, rebuilt on each executor. The directory must be a path every
 * executor reaches (a shared file system). Each task attempt writes into its own staging directory
 * {@code <directory>/_ringsweep_spark-<run>/<attempt>}; the driver moves the files of the successful attempts into
 * the directory and deletes the staging directory (see {@link ParquetStaging}).
 *
 * @param directory the target directory, absolute
 * @param compression the files' compression
 * @param targetFileSizeBytes the size at which a writer rolls to a new file
 */
record ParquetTargetSpec(String directory, ParquetCompression compression, long targetFileSizeBytes)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The serializable form of {@code target}. */
  static ParquetTargetSpec of(ParquetTarget target) {
    return new ParquetTargetSpec(target.directory().toAbsolutePath().toString(), target.compression(),
        target.targetFileSizeBytes());
  }

  /** The staging directory of run {@code runId}. */
  Path staging(String runId) {
    return Path.of(directory).resolve(ParquetStaging.PREFIX + runId);
  }

  /** The target one task attempt writes into: its own staging directory, same compression and file size. */
  ParquetTarget attemptTarget(String runId, String attempt) {
    return new ParquetTarget(staging(runId).resolve(attempt), compression, targetFileSizeBytes);
  }
}
