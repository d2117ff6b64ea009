package dev.ringsweep.spark;

import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.PartitionField;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.iceberg.IcebergTables;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * An {@link IcebergTarget} as a serializable value, rebuilt on each executor: in a warehouse directory every executor
 * reaches (a shared file system), in a catalog an {@link IcebergCatalogConnection} made (rebuilt from its
 * properties), or in any other {@code Catalog} object. That last one stays on the driver: once the driver has opened
 * the table (or prepared its creation), {@link #withTable} adds a serializable copy of it (Iceberg's
 * {@code SerializableTable}: schema, partition spec, location, properties, {@code FileIO}), and executors write their
 * data files through it; the driver commits through the caller's catalog.
 *
 * @param warehouse the warehouse directory, or null for a catalog
 * @param catalog the catalog connection, or null for a warehouse directory or a catalog object
 * @param catalogName for a catalog object: its name; else null
 * @param writeTable for a catalog object: the table to write into, once the driver has added it; else null
 */
record IcebergTableSpec(String warehouse, IcebergCatalogConnection catalog, CatalogKind catalogKind, String table,
    WriteMode writeMode, List<String> partitionBy, ParquetCompression compression, long targetFileSizeBytes,
    String catalogName, Table writeTable) implements Serializable {

  private static final long serialVersionUID = 2L;

  IcebergTableSpec {
    partitionBy = List.copyOf(partitionBy);
  }

  /** The serializable form of {@code target}; for a catalog object, without its table yet (see {@link #withTable}). */
  static IcebergTableSpec of(IcebergTarget target) {
    IcebergCatalogConnection catalog = target.catalog() == null ? null : SharedCatalogs.connectionOf(target.catalog());
    List<String> fields = new ArrayList<>();
    target.partitionBy().forEach(f -> fields.add(f.transform().name() + ":" + f.column()));
    return new IcebergTableSpec(target.warehouse() == null ? null : target.warehouse().toString(), catalog,
        target.catalogKind(), target.table().toString(), target.writeMode(), fields, target.compression(),
        target.targetFileSizeBytes(), catalog == null && target.catalog() != null ? target.catalog().name() : null,
        null);
  }

  /** Whether the target is in a catalog object only the driver has: executors need {@link #withTable}. */
  boolean catalogObject() {
    return warehouse == null && catalog == null;
  }

  /**
   * This spec, for a catalog object, with the table the driver's open {@code output} writes into; any other spec as
   * it is.
   */
  IcebergTableSpec withTable(OutputFormat output) {
    if (!catalogObject()) {
      return this;
    }
    return new IcebergTableSpec(warehouse, catalog, catalogKind, table, writeMode, partitionBy, compression,
        targetFileSizeBytes, catalogName, IcebergTables.serializableTable(output));
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
    IcebergTarget target;
    if (catalogObject()) {
      if (writeTable == null) {
        throw new IllegalStateException("The Iceberg table " + table + " of a catalog object was not handed over");
      }
      TableIdentifier id = TableIdentifier.parse(table);
      target = ExportTargets.iceberg(IcebergTables.catalogOf(catalogName, id, writeTable), id);
    } else {
      target = catalog != null
          ? ExportTargets.iceberg(catalog.catalog(), TableIdentifier.parse(table))
          : ExportTargets.iceberg(Path.of(warehouse), table).withCatalogKind(catalogKind);
    }
    return target.withWriteMode(writeMode)
        .withPartitionBy(fields).withCompression(compression).withTargetFileSizeBytes(targetFileSizeBytes);
  }
}
