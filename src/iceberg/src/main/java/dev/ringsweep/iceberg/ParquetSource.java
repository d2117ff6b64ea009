package dev.ringsweep.iceberg;

import dev.ringsweep.imports.ImportSource;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Parquet file (or a directory of them) as import source; made by {@link ImportSources#parquet(Path)}.
 *
 * @param path the file, or the directory of files
 */
public record ParquetSource(Path path) implements ImportSource {

  /** Validates the path. */
  public ParquetSource {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String describe() {
    return "parquet " + path;
  }
}
