package dev.ringsweep.imports;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A JSON lines file (or a directory of them) as import source; made by {@link ImportSource#jsonLines(Path)}.
 *
 * @param path the file, or the directory of files
 */
public record JsonLinesSource(Path path) implements ImportSource {

  /** Validates the path. */
  public JsonLinesSource {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String describe() {
    return "json lines " + path;
  }
}
