package dev.ringsweep.iceberg;

import dev.ringsweep.imports.ImportSource;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * An Iceberg table as import source; made by {@link ImportSources#iceberg(Path, String)} or
 * {@link ImportSources#iceberg(Catalog, TableIdentifier)}.
 *
 * @param warehouse the warehouse directory holding the catalog, or null when {@code catalog} is given; kept
 *     absolute and normalized, so that checkpoints name it the same whichever way it was given
 * @param catalogKind the kind of catalog kept in {@code warehouse}; null to detect it ({@code catalog.db} present:
 *     JDBC, else Hadoop); ignored with a user catalog
 * @param catalog the user's catalog, or null when {@code warehouse} is given
 * @param table the table identifier
 * @param snapshotId the snapshot to read (time travel), or null for the current one
 */
public record IcebergSource(
    Path warehouse, CatalogKind catalogKind, Catalog catalog, TableIdentifier table, Long snapshotId)
    implements ImportSource {

  /** Validates the components; exactly one of {@code warehouse} and {@code catalog} is given. */
  public IcebergSource {
    Objects.requireNonNull(table, "table");
    if ((warehouse == null) == (catalog == null)) {
      throw new IllegalArgumentException(String.format(
          "Invalid Iceberg source: warehouse %s, catalog %s (exactly one must be given)", warehouse, catalog));
    }
    if (table.namespace().isEmpty()) {
      throw new IllegalArgumentException(
          String.format("Invalid table identifier: %s (must have a namespace, e.g. db.orders)", table));
    }
    IcebergNames.check(table);
    warehouse = warehouse == null ? null : warehouse.toAbsolutePath().normalize();
  }

  static IcebergSource inWarehouse(Path warehouse, String namespaceAndTable) {
    Objects.requireNonNull(warehouse, "warehouse");
    if (namespaceAndTable == null || namespaceAndTable.isBlank()) {
      throw new IllegalArgumentException(
          String.format("Invalid table identifier: '%s' (must be namespace.table)", namespaceAndTable));
    }
    return new IcebergSource(warehouse, null, null, IcebergNames.parse(namespaceAndTable), null);
  }

  /** This source reading the table as of snapshot {@code id} (time travel). */
  public IcebergSource atSnapshot(long id) {
    return new IcebergSource(warehouse, catalogKind, catalog, table, id);
  }

  /**
   * This source with the warehouse's catalog kind given instead of detected.
   *
   * @throws IllegalArgumentException for a source in a catalog object, which has no warehouse catalog to choose
   */
  public IcebergSource withCatalogKind(CatalogKind kind) {
    Objects.requireNonNull(kind, "kind");
    if (catalog != null) {
      throw new IllegalArgumentException(String.format("Invalid catalog kind: %s (it chooses the catalog of a "
          + "warehouse directory; this source is in catalog %s)", kind, catalog.name()));
    }
    return new IcebergSource(warehouse, kind, catalog, table, snapshotId);
  }

  @Override
  public String describe() {
    String where = warehouse != null ? warehouse.toString() : "catalog " + catalog.name();
    return "iceberg " + table + " in " + where + (snapshotId == null ? "" : " at snapshot " + snapshotId);
  }
}
