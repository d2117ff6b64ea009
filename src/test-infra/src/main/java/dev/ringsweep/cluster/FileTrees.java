package dev.ringsweep.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-tree helpers for the launcher: recursive deletion of node directories. */
final class FileTrees {

  private FileTrees() {}

  /** Deletes {@code root} and everything under it; does nothing if it does not exist. */
  static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + root, e);
    }
  }

  /** Like {@link #delete(Path)}, but ignores failures (for temporary files). */
  static void deleteQuietly(Path root) {
    try {
      delete(root);
    } catch (UncheckedIOException e) {
      // Best effort: a leftover temporary directory is harmless.
    }
  }
}
