package dev.ringsweep.spark;

import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.SegmentWriter;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.internal.format.OnDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's output of a Parquet export on Spark: task attempts write into staging directories under
 * {@code <directory>/_ringsweep_spark-<run>/<attempt>/} (a name readers skip: Ringsweep's Parquet source and Spark
 * ignore names starting with {@code _}), and the checkpoint records the files of the successful ones where they
 * are. The commit, once every token range is done, moves the recorded files into the directory (of this run and of
 * the runs it resumes) and deletes the staging directories, with every file of failed, cancelled or speculative
 * attempts. So the directory only ever shows complete files of successful attempts, all of them at once, as after
 * a single-JVM export; a failed job leaves only Ringsweep's own entries ({@code _ringsweep*}).
 *
 * <p>Files recorded directly in the directory (by a single-JVM export that this one resumes) stay where they are.
 */
final class ParquetStaging implements OutputFormat {

  private static final Logger LOG = LoggerFactory.getLogger(ParquetStaging.class);

  /** The prefix of a run's staging directory inside the target directory. */
  static final String PREFIX = OnDisk.SPARK_STAGING_PREFIX;

  private final Path directory;
  private final OutputFormat real;

  /**
   * @param directory the target directory
   * @param real the directory's own output (the single-JVM Parquet export's), open
   */
  ParquetStaging(Path directory, OutputFormat real) {
    this.directory = directory;
    this.real = real;
  }

  @Override
  public SegmentWriter newSegment(int worker, int sequence) {
    return real.newSegment(worker, sequence);
  }

  @Override
  public boolean holdsOutput() {
    return real.holdsOutput();
  }

  /**
   * Each recorded file must be where the checkpoint says (in a staging directory, or in the directory), or in the
   * directory by name (moved there by the commit of a completed export).
   */
  @Override
  public void checkFinished(Path checkpointFile, Collection<WrittenFile> files) {
    for (WrittenFile f : files) {
      Path path = Path.of(f.path());
      if (!Files.isRegularFile(path) && !Files.isRegularFile(directory.resolve(path.getFileName()))) {
        throw new IllegalStateException(String.format(
            "Cannot resume: checkpoint %s records the finished file %s, which is not there (deleted or moved?); "
                + "restore it, or export again into an empty directory", checkpointFile, path));
      }
    }
  }

  /**
   * Deletes the files of {@code runs} not among {@code kept}: in the runs' staging directories (by path) and in the
   * directory itself (by name, as the single-JVM export does).
   */
  @Override
  public void deleteStrays(Collection<String> runs, Collection<WrittenFile> kept) {
    Set<Path> keep = new HashSet<>();
    kept.forEach(f -> keep.add(Path.of(f.path()).toAbsolutePath().normalize()));
    for (String run : runs) {
      Path staging = directory.resolve(PREFIX + run);
      if (!Files.isDirectory(staging)) {
        continue;
      }
      try (Stream<Path> entries = Files.walk(staging)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          if (Files.isRegularFile(p) && !keep.contains(p.toAbsolutePath().normalize())) {
            Files.deleteIfExists(p);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(String.format("Cannot delete the unrecorded files in %s (%s)", staging, e),
            e);
      }
    }
    real.deleteStrays(runs, kept);
  }

  /**
   * Moves the recorded files into the directory (same names: the run and the attempt are part of them), then deletes
   * every staging directory. If a move fails, the files this call moved are moved back, so that the directory shows
   * none of them and the checkpoint still holds. A recorded file already in the directory and gone from its staging
   * directory was moved by an earlier commit of the export that stopped before its checkpoint was marked complete:
   * it stays.
   *
   * @throws UncheckedIOException if a file cannot be moved
   */
  @Override
  public void commit(List<WrittenFile> files) {
    List<Path[]> moved = new ArrayList<>();
    for (WrittenFile f : files) {
      Path from = Path.of(f.path()).toAbsolutePath().normalize();
      Path to = directory.resolve(from.getFileName()).toAbsolutePath().normalize();
      if (from.equals(to)) {
        continue; // written into the directory by a single-JVM run
      }
      if (!Files.exists(from) && Files.isRegularFile(to)) {
        // Moved in by the commit of an earlier run of this export, which stopped before its checkpoint said it was
        // complete (file names are unique to their run and attempt): the resume finishes that commit.
        LOG.info("{} is already in {}: moved there by an earlier commit of this export", to.getFileName(),
            directory);
        continue;
      }
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        moved.add(new Path[] {from, to});
      } catch (IOException e) {
        undo(moved);
        throw new UncheckedIOException(String.format("Cannot move the exported file %s into %s (%s)", from,
            directory, e), e);
      }
    }
    try {
      // The moves are renames: the directory's entries hold them, forced to disk before the export is marked done.
      dev.ringsweep.internal.DurableFiles.forceDirectory(directory);
    } catch (IOException e) {
      // Every file is in the directory by now: the commit stands (a failure here would say nothing was published).
      LOG.warn("The exported files are in {}, but the directory could not be forced to disk: a crash of the machine "
          + "may lose their names ({})", directory, e.getMessage());
    }
    deleteStagingDirectories();
  }

  private static void undo(List<Path[]> moved) {
    for (Path[] move : moved) {
      try {
        Files.move(move[1], move[0], StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        LOG.warn("Cannot move {} back to {} after a failed commit: {}", move[1], move[0], e.toString());
      }
    }
  }

  private void deleteStagingDirectories() {
    try (Stream<Path> entries = Files.list(directory)) {
      entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
          .forEach(ParquetStaging::delete);
    } catch (IOException e) {
      LOG.warn("Cannot list {} to delete its staging directories: {}", directory, e.toString());
    }
  }

  @Override
  public void discard(List<WrittenFile> files) {
    real.discard(files);
  }

  @Override
  public void close() {
    real.close();
  }

  /** Deletes a directory and everything in it; what cannot be deleted is logged and left. */
  static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {} (a task attempt may still be writing there)", root, e.toString());
    }
  }
}
