package dev.ringsweep.spark;

import dev.ringsweep.internal.export.DirectoryOutput;
import dev.ringsweep.internal.export.WrittenFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a Parquet export on Spark: task attempts write into staging directories under
 * {@code <directory>/_ringsweep_spark-<run>/} (a name readers skip: Ringsweep's Parquet source and Spark ignore
 * names starting with {@code _}); once the job has succeeded, the files the successful attempts returned are moved
 * into the directory and the staging directory, with every file of failed, cancelled or speculative attempts, is
 * deleted. So the directory only ever holds complete files of successful attempts, as after a single-JVM export.
 */
final class ParquetStaging {

  private static final Logger LOG = LoggerFactory.getLogger(ParquetStaging.class);

  /** The prefix of a run's staging directory inside the target directory. */
  static final String PREFIX = "_ringsweep_spark-";

  private ParquetStaging() {}

  /**
   * Moves the files into {@code directory} (same names: the run and the attempt are part of them), then deletes
   * {@code staging}.
   *
   * @return the files at their new paths
   */
  static List<WrittenFile> publish(Path directory, Path staging, List<WrittenFile> files) {
    List<WrittenFile> moved = new ArrayList<>();
    for (WrittenFile f : files) {
      Path from = Path.of(f.path());
      Path to = directory.resolve(from.getFileName());
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException(String.format("Cannot move the exported file %s into %s (%s); the files "
            + "already moved stay there, the others are in %s", from, directory, e, staging), e);
      }
      moved.add(new WrittenFile(to.toString(), f.rows(), f.bytes(), f.icebergDataFile()));
    }
    delete(staging);
    return moved;
  }

  /**
   * After a failed job: deletes the staging directory and the schema file the driver wrote, so that the directory
   * is as it was (empty) and the export can be run again.
   */
  static void abort(Path directory, Path staging) {
    delete(staging);
    try {
      Files.deleteIfExists(directory.resolve(DirectoryOutput.SCHEMA_FILE));
    } catch (IOException e) {
      LOG.warn("Cannot delete {} after a failed export: {}", directory.resolve(DirectoryOutput.SCHEMA_FILE),
          e.toString());
    }
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
