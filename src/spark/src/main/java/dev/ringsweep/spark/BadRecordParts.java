package dev.ringsweep.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The bad-records file of an import on Spark. Each task attempt writes its bad records into its own part file
 * {@code <file>.parts-<run>/<attempt>.jsonl} beside the file the user named; once the job has succeeded, the driver
 * appends the parts of the successful attempts to the named file (in task order; appended, as the single-JVM import
 * appends) and deletes the parts directory with the parts of failed, cancelled and speculative attempts. So the
 * named file holds every bad record of the import exactly once. When the job fails, the parts of the attempts that
 * succeeded are appended too (their splits are done: a resume does not read them again, and appends its own), and the
 * parts of the failed attempts are left in the directory, which the error names.
 */
final class BadRecordParts {

  private BadRecordParts() {}

  /** The parts directory of run {@code runId} for the named file. */
  static Path directory(Path named, String runId) {
    Path absolute = named.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName() + ".parts-" + runId);
  }

  /** The part file of one task attempt. */
  static Path partFile(Path directory, String attempt) {
    return directory.resolve(attempt + ".jsonl");
  }

  /**
   * Creates the parts directory on the driver, before any task starts.
   *
   * @throws IllegalArgumentException naming the bad-records file when its folder cannot be written
   */
  static void create(Path named, Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new IllegalArgumentException(String.format("Invalid bad-records file: %s (cannot create %s beside it: "
          + "%s); choose a writable file for the rows that cannot be imported", named, directory, e), e);
    }
  }

  /**
   * After a failed job: appends the parts of the attempts that succeeded to the named file and deletes them, leaving
   * the failed attempts' parts in the directory (deleted if none is left).
   *
   * @param parts the successful attempts' part files (null entries for attempts without bad records are skipped)
   * @throws UncheckedIOException if a part cannot be appended (the parts are then all still in the directory)
   */
  static void mergeSucceeded(Path named, Path directory, List<String> parts) {
    append(named, directory, parts);
    for (String part : parts) {
      if (part != null) {
        try {
          Files.deleteIfExists(Path.of(part));
        } catch (IOException e) {
          throw new UncheckedIOException(String.format("Cannot delete %s, appended to %s (%s)", part, named, e), e);
        }
      }
    }
    try (var left = Files.list(directory)) {
      if (left.findAny().isEmpty()) {
        Files.deleteIfExists(directory);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Cannot list %s (%s)", directory, e), e);
    }
  }

  /**
   * Appends the parts of the successful attempts to the named file and deletes the parts directory.
   *
   * @param parts the successful attempts' part files (null entries for attempts without bad records are skipped)
   * @return the named file, or null when no attempt had a bad record
   */
  static Path merge(Path named, Path directory, List<String> parts) {
    boolean any = append(named, directory, parts);
    ParquetStaging.delete(directory);
    return any ? named : null;
  }

  /** Appends {@code parts} (nulls skipped) to the named file; whether there was any. */
  private static boolean append(Path named, Path directory, List<String> parts) {
    boolean any = false;
    for (String part : parts) {
      if (part == null) {
        continue;
      }
      try (OutputStream out = Files.newOutputStream(named, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        Files.copy(Path.of(part), out);
      } catch (IOException e) {
        throw new UncheckedIOException(String.format("Cannot append the bad records of %s to %s (%s); the parts "
            + "are in %s", part, named, e, directory), e);
      }
      any = true;
    }
    return any;
  }
}
