package dev.ringsweep.internal.export;

import dev.ringsweep.internal.format.CqlColumn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The format of a directory target (CSV, JSON lines, Parquet): data files that each worker rolls itself, the
 * checkpoint and the lock file inside the directory, nothing to commit.
 */
public class DirectoryFormat implements TargetFormat {

  private final Path directory;
  private final String suffix;
  private final String description;
  private final long targetBytes;
  private final BiFunction<List<CqlColumn>, Map<String, String>, RollingSegment.Opener> opener;

  /**
   * @param directory the target directory
   * @param suffix the data files' name suffix, e.g. {@code .parquet}
   * @param description the format as a checkpoint records it, e.g. {@code parquet compression=zstd}
   * @param targetBytes the size at which a worker rolls to a new file
   * @param opener the opener of data files, given the columns and the metadata to record in each file
   */
  public DirectoryFormat(Path directory, String suffix, String description, long targetBytes,
      BiFunction<List<CqlColumn>, Map<String, String>, RollingSegment.Opener> opener) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.suffix = suffix;
    this.description = description;
    this.targetBytes = targetBytes;
    this.opener = opener;
  }

  @Override
  public OutputFormat open(List<CqlColumn> columns, Map<String, String> properties, String runId, boolean resume) {
    return DirectoryOutput.open(directory, suffix, opener.apply(columns, properties), targetBytes, columns,
        properties, runId, resume);
  }

  @Override
  public Path defaultCheckpointFile() {
    return directory.resolve(DirectoryOutput.CHECKPOINT_FILE);
  }

  @Override
  public String describeFormat() {
    return description;
  }

  @Override
  public Path lockFile(Path checkpointFile) {
    return directory.resolve(TargetLock.DIRECTORY_LOCK_FILE);
  }

  @Override
  public void createLocation() {
    DirectoryOutput.createDirectory(directory);
  }

  @Override
  public Path fileBase() {
    return directory;
  }

  @Override
  public String startAfresh() {
    return "its files cannot be told apart without it: export again into an empty directory";
  }

  @Override
  public boolean commits() {
    return false;
  }
}
