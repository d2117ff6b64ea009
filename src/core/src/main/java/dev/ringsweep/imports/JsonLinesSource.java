package dev.ringsweep.imports;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A JSON lines file (or a directory of them) as import source; made by {@link ImportSource#jsonLines(Path)}.
 *
 * @param path the file, or the directory of files;
 *     kept absolute and normalized (a relative path is resolved against the working directory when the
 *     value is made), so that checkpoints name it the same whichever way it was given
 */
public record JsonLinesSource(Path path) implements ImportSource {

  /** Validates the path and makes it absolute. */
  public JsonLinesSource {
    Objects.requireNonNull(path, "path");
    path = path.toAbsolutePath().normalize();
  }

  @Override
  public String describe() {
    return "json lines " + path;
  }
}
