package dev.ringsweep.iceberg;

import dev.ringsweep.export.ExportTarget;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A directory of Parquet files as export target; made by {@link ExportTargets#parquet(Path)}. Each writer rolls its own files
 * named {@code part-<run>-<writer>-<n>}; the CQL type of every column is recorded in {@code _ringsweep_schema.json}
 * beside them and the checkpoint in {@code _ringsweep_checkpoint.json}.
 *
 * @param directory the directory, created if absent; must be empty unless the export resumes;
 *     kept absolute and normalized (a relative path is resolved against the working directory when the
 *     value is made), so that checkpoints name it the same whichever way it was given
 * @param compression compression of the files
 * @param targetFileSizeBytes size (as written, compressed) at which a writer rolls to a new file; positive
 */
public record ParquetTarget(Path directory, ParquetCompression compression, long targetFileSizeBytes) implements ExportTarget {

  /** Validates the components and makes the directory absolute. */
  public ParquetTarget {
    Objects.requireNonNull(directory, "directory");
    directory = directory.toAbsolutePath().normalize();
    Objects.requireNonNull(compression, "compression");
    ExportTarget.checkFileSize(targetFileSizeBytes);
  }

  /** This target with another compression. */
  public ParquetTarget withCompression(ParquetCompression codec) {
    return new ParquetTarget(directory, codec, targetFileSizeBytes);
  }

  /** This target with another target file size. */
  public ParquetTarget withTargetFileSizeBytes(long bytes) {
    return new ParquetTarget(directory, compression, bytes);
  }

  @Override
  public String describe() {
    return "parquet " + directory;
  }
}
