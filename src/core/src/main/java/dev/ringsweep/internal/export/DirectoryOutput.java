package dev.ringsweep.internal.export;

import dev.ringsweep.internal.format.OnDisk;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringsweep.internal.format.CqlColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The output of a directory target (CSV, JSON lines, Parquet): files {@code part-<run>-w<worker>-s<segment>-<n>}
 * that each worker rolls itself, the column types in {@value #SCHEMA_FILE} and the checkpoint in
 * {@value #CHECKPOINT_FILE}. There is nothing to commit: the files are the output.
 */
public final class DirectoryOutput implements OutputFormat {

  public static final String SCHEMA_FILE = OnDisk.SCHEMA_FILE;
  public static final String CHECKPOINT_FILE = OnDisk.CHECKPOINT_FILE;

  private final Path directory;
  private final String runId;
  private final String suffix;
  private final RollingSegment.Opener opener;
  private final long targetBytes;

  private DirectoryOutput(Path directory, String runId, String suffix, RollingSegment.Opener opener,
      long targetBytes) {
    this.directory = directory;
    this.runId = runId;
    this.suffix = suffix;
    this.opener = opener;
    this.targetBytes = targetBytes;
  }

  /**
   * Prepares the directory: creates it, checks that it is empty unless resuming, writes the schema file.
   *
   * @param suffix the data files' name suffix, e.g. {@code .csv.gz}
   * @param opener opens one data file
   * @param targetBytes the size at which a worker rolls to a new file
   * @throws IllegalStateException if the directory holds files and the export does not resume
   */
  public static DirectoryOutput open(Path directory, String suffix, RollingSegment.Opener opener, long targetBytes,
      List<CqlColumn> columns, Map<String, String> metadata, String runId, boolean resuming) {
    createDirectory(directory);
    try {
      if (!resuming) {
        try (Stream<Path> entries = Files.list(directory)) {
          if (entries.anyMatch(p -> !p.getFileName().toString().equals(TargetLock.DIRECTORY_LOCK_FILE))) {
            throw new IllegalStateException(
                String.format("Export directory %s is not empty (choose an empty directory, or resume)", directory));
          }
        }
      }
      writeSchema(directory.resolve(SCHEMA_FILE), columns, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Cannot write to export directory %s (%s)", directory, e), e);
    }
    return new DirectoryOutput(directory, runId, suffix, opener, targetBytes);
  }

  /**
   * Creates the directory of a target if it is absent.
   *
   * @throws IllegalArgumentException if it is a file
   * @throws UncheckedIOException if it cannot be created
   */
  public static void createDirectory(Path directory) {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new IllegalArgumentException(
          String.format("Invalid export directory: %s (it is a file, not a directory)", directory));
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Cannot create export directory %s (%s)", directory, e), e);
    }
  }

  private static void writeSchema(Path file, List<CqlColumn> columns, Map<String, String> metadata)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ArrayNode list = root.putArray("columns");
    for (CqlColumn column : columns) {
      list.addObject().put("name", column.name()).put("cqlType", column.cqlType());
    }
    ObjectNode properties = root.putObject("properties");
    metadata.forEach(properties::put);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public SegmentWriter newSegment(int worker, int sequence) {
    String prefix = String.format("part-%s-w%03d-s%05d", runId, worker, sequence);
    return new RollingSegment(directory, prefix, suffix, opener, targetBytes);
  }

  @Override
  public boolean holdsOutput() {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.anyMatch(p -> !p.getFileName().toString().startsWith(OnDisk.OWN_FILE_PREFIX));
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Cannot list export directory %s (%s)", directory, e), e);
    }
  }

  /**
   * Each recorded file must be in the directory, found by name (the directory may have been moved since). A file
   * an export on Spark staged and never moved in ({@code _ringsweep_spark-<run>/}) is refused: only a resume on
   * Spark publishes it.
   */
  @Override
  public void checkFinished(Path checkpointFile, Collection<WrittenFile> files) {
    for (WrittenFile f : files) {
      Path recorded = Path.of(f.path());
      if (Files.isRegularFile(directory.resolve(recorded.getFileName()))) {
        continue;
      }
      boolean staged = recorded.getParent() != null && recorded.getParent().getParent() != null
          && recorded.getParent().getParent().getFileName().toString().startsWith(OnDisk.SPARK_STAGING_PREFIX);
      if (staged && Files.isRegularFile(recorded)) {
        throw new IllegalStateException(String.format(
            "Cannot resume: checkpoint %s is of an export on Spark, whose finished file %s waits in %s until that "
                + "export completes; resume it on Spark (RingsweepSpark.exportToParquet with Resume.RESUME)",
            checkpointFile, recorded.getFileName(), recorded.getParent()));
      }
      throw new IllegalStateException(String.format(
          "Cannot resume: checkpoint %s records the finished file %s, which is not in %s (deleted or moved "
              + "apart from the rest?); restore it, or export again into an empty directory",
          checkpointFile, recorded.getFileName(), directory));
    }
  }

  /**
   * Deletes the files of {@code runs} in the directory that are not among {@code kept}. Files are matched by name
   * (unique: the run id is part of it), so the directory may have been moved or reached through a symbolic link
   * since they were recorded.
   */
  @Override
  public void deleteStrays(Collection<String> runs, Collection<WrittenFile> kept) {
    Set<String> keep = new HashSet<>();
    kept.forEach(f -> keep.add(Path.of(f.path()).getFileName().toString()));
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String name = p.getFileName().toString();
        boolean ours = runs.stream().anyMatch(r -> name.startsWith("part-" + r + "-"));
        if (ours && !keep.contains(name)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void commit(List<WrittenFile> files) {
    // The files are the output.
  }

  @Override
  public void discard(List<WrittenFile> files) {
    for (WrittenFile f : files) {
      try {
        Files.deleteIfExists(Path.of(f.path()));
      } catch (IOException e) {
        // best effort on a failed export
      }
    }
  }

  @Override
  public void close() {}
}
