package dev.ringsweep.spark;

import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.iceberg.IcebergTables;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.internal.imports.SourceReaderProvider;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Some of the splits of an Iceberg table pinned to one snapshot: what one import task reads. Every JVM plans the
 * same snapshot alike (splits are sized from the table's bytes, not from the readers), so split {@code i} is the
 * same piece of the table everywhere.
 *
 * @param warehouse the warehouse directory (reachable from every executor), or null for a catalog
 * @param catalog the catalog connection, or null for a warehouse directory or a catalog object
 * @param catalogKind the warehouse's catalog kind, or null to detect it
 * @param table the table, {@code namespace.table}
 * @param snapshotId the snapshot every task reads
 * @param readers the reader threads of the task
 * @param splits the indices of the splits to read; all of them when null
 * @param catalogName for a catalog object (any other {@code Catalog} the caller made): its name; else null
 * @param readTable for a catalog object: a serializable copy of the table, loaded by the driver (Iceberg's
 *     {@code SerializableTable}; executors plan the pinned snapshot from its metadata file); else null
 */
record SplitSource(String warehouse, IcebergCatalogConnection catalog, CatalogKind catalogKind, String table,
    Long snapshotId, int readers, List<Integer> splits, String catalogName, Table readTable)
    implements ImportSource, Serializable {

  private static final long serialVersionUID = 2L;

  SplitSource {
    splits = splits == null ? null : List.copyOf(splits);
  }

  /**
   * The serializable form of {@code source}. A source in a catalog object no {@link IcebergCatalogConnection} made
   * is loaded here, on the driver, and travels as a serializable copy of the table.
   */
  static SplitSource of(IcebergSource source, int readers) {
    IcebergCatalogConnection catalog = source.catalog() == null ? null : SharedCatalogs.connectionOf(source.catalog());
    boolean object = source.catalog() != null && catalog == null;
    return new SplitSource(source.warehouse() == null ? null : source.warehouse().toString(), catalog,
        source.catalogKind(), source.table().toString(), source.snapshotId(), readers, null,
        object ? source.catalog().name() : null,
        object ? IcebergTables.serializableTable(source.catalog(), source.table()) : null);
  }

  /** This source reading only the splits {@code indices}. */
  SplitSource only(List<Integer> indices) {
    return new SplitSource(warehouse, catalog, catalogKind, table, snapshotId, readers, indices, catalogName,
        readTable);
  }

  /** This source pinned to {@code id}. */
  SplitSource at(Long id) {
    return new SplitSource(warehouse, catalog, catalogKind, table, id, readers, splits, catalogName, readTable);
  }

  /** The real source on this JVM. */
  IcebergSource toSource() {
    if (readTable != null) {
      TableIdentifier id = TableIdentifier.parse(table);
      IcebergSource source = ImportSources.iceberg(IcebergTables.catalogOf(catalogName, id, readTable), id);
      return snapshotId == null ? source : source.atSnapshot(snapshotId);
    }
    if (catalog != null) {
      IcebergSource source = ImportSources.iceberg(catalog.catalog(), TableIdentifier.parse(table));
      return snapshotId == null ? source : source.atSnapshot(snapshotId);
    }
    IcebergSource source = ImportSources.iceberg(Path.of(warehouse), table);
    if (catalogKind != null) {
      source = source.withCatalogKind(catalogKind);
    }
    return snapshotId == null ? source : source.atSnapshot(snapshotId);
  }

  @Override
  public String describe() {
    return toSource().describe();
  }

  /**
   * Opens a source of the Iceberg module (an Iceberg table, Parquet files) with its own reader, not with this
   * module's providers.
   *
   * @throws IllegalStateException if no reader of the source is on the classpath
   */
  static SourceReader openReal(ImportSource source, int readers) {
    for (SourceReaderProvider provider : ServiceLoader.load(SourceReaderProvider.class,
        SourceReaderProvider.class.getClassLoader())) {
      if (!provider.getClass().getName().startsWith(SplitSource.class.getPackageName() + ".")) {
        SourceReader real = provider.open(source, readers);
        if (real != null) {
          return real;
        }
      }
    }
    throw new IllegalStateException(String.format(
        "No reader of %s on the classpath (dev.ringsweep:ringsweep-iceberg)", source.describe()));
  }

  /** Opens the real source with the other providers and keeps the chosen splits; registered as a service. */
  public static final class Provider implements SourceReaderProvider {
    @Override
    public SourceReader open(ImportSource source, int ignored) {
      if (!(source instanceof SplitSource split)) {
        return null;
      }
      SourceReader real = openReal(split.toSource(), split.readers());
      if (split.splits() == null) {
        return real;
      }
      List<SourceReader.Split> chosen = new ArrayList<>();
      for (int index : split.splits()) {
        if (index >= real.splits().size()) {
          real.close();
          throw new IllegalStateException(String.format(
              "Split %s of %s does not exist on this executor (it planned %s splits): the table changed under the "
                  + "import, or executors see another warehouse", index, split.describe(), real.splits().size()));
        }
        chosen.add(real.splits().get(index));
      }
      SourceReader opened = real;
      return new SourceReader(real.describe(), real.format(), real.columns(), chosen, -1, opened::close);
    }
  }
}
