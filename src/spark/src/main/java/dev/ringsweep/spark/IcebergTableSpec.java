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
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * An {@link IcebergTarget} as a serializable value, rebuilt on each executor: in a warehouse directory every executor
 * reaches (a shared file system), or in a catalog an {@link IcebergCatalogConnection} made. A target in any other
 * {@code Catalog} object cannot travel to executors and is refused.
 *
 * @param warehouse the warehouse directory, or null for a catalog
 * @param catalog the catalog, or null for a warehouse directory
 */
record IcebergTableSpec(String warehouse, IcebergCatalogConnection catalog, CatalogKind catalogKind, String table,
    WriteMode writeMode, List<String> partitionBy, ParquetCompression compression, long targetFileSizeBytes)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  IcebergTableSpec {
    partitionBy = List.copyOf(partitionBy);
  }

  /**
   * The serializable form of {@code target}.
   *
   * @throws IllegalArgumentException if the target is in a catalog object no {@link IcebergCatalogConnection} made
   */
  static IcebergTableSpec of(IcebergTarget target) {
    IcebergCatalogConnection catalog = null;
    if (target.catalog() != null) {
      catalog = SharedCatalogs.connectionOf(target.catalog());
      if (catalog == null) {
        throw new IllegalArgumentException(String.format(
            "Unsupported Iceberg target on Spark: %s (a catalog object cannot travel to executors; name the "
                + "catalog with IcebergCatalogConnection.of(name, properties) or .fromSparkCatalog(spark, name) and "
                + "use its target(table), or give a warehouse directory every executor reaches)",
            target.describe()));
      }
    }
    List<String> fields = new ArrayList<>();
    target.partitionBy().forEach(f -> fields.add(f.transform().name() + ":" + f.column()));
    return new IcebergTableSpec(catalog == null ? target.warehouse().toAbsolutePath().toString() : null, catalog,
        target.catalogKind(), target.table().toString(), target.writeMode(), fields, target.compression(),
        target.targetFileSizeBytes());
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
    IcebergTarget target = catalog != null
        ? ExportTargets.iceberg(catalog.catalog(), TableIdentifier.parse(table))
        : ExportTargets.iceberg(Path.of(warehouse), table).withCatalogKind(catalogKind);
    return target.withWriteMode(writeMode)
        .withPartitionBy(fields).withCompression(compression).withTargetFileSizeBytes(targetFileSizeBytes);
  }
}
