package dev.ringsweep.spark;

import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.PartitionField;
import dev.ringsweep.iceberg.WriteMode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link IcebergTarget} in a warehouse directory as a serializable value, rebuilt on each executor. The warehouse
 * must be a path every executor reaches (a shared file system). A target in a user's {@code Catalog} object cannot
 * travel to executors and is refused.
 */
record IcebergTableSpec(String warehouse, CatalogKind catalogKind, String table, WriteMode writeMode,
    List<String> partitionBy, ParquetCompression compression, long targetFileSizeBytes) implements Serializable {

  private static final long serialVersionUID = 1L;

  IcebergTableSpec {
    partitionBy = List.copyOf(partitionBy);
  }

  /**
   * The serializable form of {@code target}.
   *
   * @throws IllegalArgumentException if the target is in a user's catalog object
   */
  static IcebergTableSpec of(IcebergTarget target) {
    if (target.catalog() != null) {
      throw new IllegalArgumentException(String.format(
          "Unsupported Iceberg target on Spark: %s (a catalog object cannot travel to executors; give a warehouse "
              + "directory every executor reaches, ExportTargets.iceberg(Path, String))", target.describe()));
    }
    List<String> fields = new ArrayList<>();
    target.partitionBy().forEach(f -> fields.add(f.transform().name() + ":" + f.column()));
    return new IcebergTableSpec(target.warehouse().toAbsolutePath().toString(), target.catalogKind(),
        target.table().toString(), target.writeMode(), fields, target.compression(), target.targetFileSizeBytes());
  }

  /** The target again, on this JVM. */
  IcebergTarget toTarget() {
    PartitionField[] fields = new PartitionField[partitionBy.size()];
    for (int i = 0; i < fields.length; i++) {
      String field = partitionBy.get(i);
      int colon = field.indexOf(':');
      fields[i] = new PartitionField(field.substring(colon + 1),
          PartitionField.Transform.valueOf(field.substring(0, colon)));
    }
    return ExportTargets.iceberg(Path.of(warehouse), table).withCatalogKind(catalogKind).withWriteMode(writeMode)
        .withPartitionBy(fields).withCompression(compression).withTargetFileSizeBytes(targetFileSizeBytes);
  }
}
