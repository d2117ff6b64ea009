package dev.ringsweep.imports;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A CSV file (or a directory of them) as import source; made by {@link ImportSource#csv(Path)}.
 *
 * @param path the file, or the directory of files
 */
public record CsvSource(Path path) implements ImportSource {

  /** Validates the path. */
  public CsvSource {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String describe() {
    return "csv " + path;
  }
}
