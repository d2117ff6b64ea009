package dev.ringsweep.internal.export;

import dev.ringsweep.internal.format.CqlColumn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the export engine needs of one export target: where its checkpoint and lock live, how a checkpoint names its
 * format, and how to open its output. {@link TargetFormats#of} finds it for a target: the CSV and JSON lines targets
 * of core, and the targets of format modules (Iceberg, Parquet) through a {@link TargetFormatProvider}.
 */
public interface TargetFormat {

  /**
   * Checks that the exported columns can be written in this format, before anything is written.
   *
   * @throws IllegalArgumentException naming a column whose type the format cannot hold
   */
  default void checkColumns(List<CqlColumn> columns) {}

  /**
   * Opens the output for one run of an export.
   *
   * @param columns the exported columns, in order
   * @param properties CQL type properties recorded with the data (table properties, file metadata, schema file)
   * @param runId unique id of this run, part of every file name
   * @param resume whether this run continues an interrupted one (a directory may then hold files)
   */
  OutputFormat open(List<CqlColumn> columns, Map<String, String> properties, String runId, boolean resume);

  /**
   * Where the checkpoint lives by default: inside a directory target, under the warehouse for an Iceberg warehouse
   * target, nowhere (null) when the target has no place of its own (a user's catalog).
   */
  Path defaultCheckpointFile();

  /**
   * The format and the options that shape its files, as a checkpoint records them: a resume must use the same (e.g.
   * {@code parquet compression=zstd}). Locations and file sizes are left out: a moved directory or another file size
   * resumes as well.
   */
  String describeFormat();

  /** The lock file that keeps two runs from writing into the target at once, or null for none. */
  Path lockFile(Path checkpointFile);

  /** Creates the place of the target's files if it is absent, so that its lock file can be taken there. */
  void createLocation();

  /** The directory that a checkpoint records file paths relative to, or null to record them as they are. */
  Path fileBase();

  /** What a user can do instead of resuming an export into the target, for error messages. */
  String startAfresh();

  /** Whether the output is published by one commit at the end (nothing is visible before it). */
  boolean commits();
}
