package dev.ringsweep.export;

import java.util.Objects;

/**
 * One finished data file of an export, as the checkpoint records it.
 *
 * @param path the file's location (absolute path or URI)
 * @param rows rows in the file
 * @param bytes the file's size
 * @param icebergDataFile for Iceberg targets the serialized {@code DataFile} (base64) committed at the end; else null
 */
record WrittenFile(String path, long rows, long bytes, String icebergDataFile) {
  WrittenFile {
    Objects.requireNonNull(path, "path");
  }
}
