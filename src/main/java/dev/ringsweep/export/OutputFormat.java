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
      if (iceberg.warehouse() == null) {
        return null;
      }
      Path folder = iceberg.warehouse().toAbsolutePath().normalize().resolve("_ringsweep_checkpoints");
      Path file = folder.resolve(iceberg.table() + ".json").normalize();
      if (!folder.equals(file.getParent())) {
        // Unreachable for a checked identifier (IcebergNames); kept so that no name ever writes elsewhere.
        throw new IllegalArgumentException(String.format(
            "Invalid Iceberg table identifier: '%s' (its checkpoint %s would be outside %s)", iceberg.table(), file,
            folder));
      }
      return file;
    }
    return DirectoryOutput.directory(target).resolve(DirectoryOutput.CHECKPOINT_FILE);
  }

  /**
   * The target's format and the options that shape its files, as a checkpoint records them: a resume must use the
   * same (e.g. {@code parquet compression=zstd}). Locations and file sizes are left out: a moved directory or another
   * file size resumes as well.
   */
  static String describeFormat(ExportTarget target) {
    if (target instanceof IcebergTarget i) {
      return "iceberg table=" + i.table() + " compression=" + i.compression().codec() + " mode="
          + i.writeMode().name().toLowerCase(java.util.Locale.ROOT);
    } else if (target instanceof ParquetTarget p) {
      return "parquet compression=" + p.compression().codec();
    } else if (target instanceof CsvTarget c) {
      return "csv compression=" + c.compression().name().toLowerCase(java.util.Locale.ROOT);
    } else if (target instanceof JsonLinesTarget j) {
      return "json compression=" + j.compression().name().toLowerCase(java.util.Locale.ROOT);
    }
    throw new IllegalArgumentException("Unknown export target: " + target.describe());
  }

  /**
   * The lock file that keeps two runs from writing into one target at once: in a directory target's directory, beside
   * the checkpoint of an Iceberg target, none for an Iceberg target without a checkpoint (a user catalog; concurrent
   * appends are then the caller's to order).
   */
  static Path lockFile(ExportTarget target, Path checkpointFile) {
    if (target instanceof IcebergTarget) {
      return checkpointFile == null ? null
          : checkpointFile.resolveSibling(checkpointFile.getFileName() + ".lock");
    }
    return DirectoryOutput.directory(target).resolve(TargetLock.DIRECTORY_LOCK_FILE);
  }

  /**
   * Creates the place of the target's files if it is absent (a directory target's directory, an Iceberg warehouse),
   * so that its lock file can be taken there.
   */
  static void createLocation(ExportTarget target) {
    if (target instanceof IcebergTarget iceberg) {
      if (iceberg.warehouse() != null) {
        IcebergCatalogs.createWarehouse(iceberg);
      }
    } else {
      DirectoryOutput.createDirectory(DirectoryOutput.directory(target));
    }
  }

  /** The directory that a checkpoint records file paths relative to: a directory target's; none for Iceberg. */
  static Path fileBase(ExportTarget target) {
    return target instanceof IcebergTarget ? null : DirectoryOutput.directory(target);
  }

  /** What a user can do instead of resuming an export into {@code target}, for error messages. */
  static String startAfresh(ExportTarget target) {
    if (target instanceof IcebergTarget) {
      return "to start afresh, delete it and export without resuming (nothing of the interrupted run was committed)";
    }
    return "its files cannot be told apart without it: export again into an empty directory";
  }

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

  /** Publishes the files as the output: for Iceberg one atomic commit; for directories nothing left to do. */
  void commit(List<WrittenFile> files);

  /** Deletes these files (for a failed export without checkpoint). */
  void discard(List<WrittenFile> files);

  @Override
  void close();
}
