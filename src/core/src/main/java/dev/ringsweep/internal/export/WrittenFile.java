package dev.ringsweep.internal.export;

import java.util.Objects;

/**
 * One finished data file of an export, as the checkpoint records it.
 *
 * @param path the file's location (absolute path or URI)
 * @param rows rows in the file
 * @param bytes the file's size
 * @param icebergDataFile for Iceberg targets the serialized {@code DataFile} (base64) committed at the end; else null
 */
public record WrittenFile(String path, long rows, long bytes, String icebergDataFile) {
  public WrittenFile {
    Objects.requireNonNull(path, "path");
  }
}
