package dev.ringsweep.spark;

import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.internal.imports.SourceReaderProvider;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Some of the splits of an Iceberg table pinned to one snapshot: what one import task reads. Every JVM plans the
 * same snapshot with the same reader count, so split {@code i} is the same piece of the table everywhere.
 *
 * @param warehouse the warehouse directory (reachable from every executor), or null for a catalog
 * @param catalog the catalog, or null for a warehouse directory
 * @param catalogKind the warehouse's catalog kind, or null to detect it
 * @param table the table, {@code namespace.table}
 * @param snapshotId the snapshot every task reads
 * @param readers the reader count the splits were planned for
 * @param splits the indices of the splits to read; all of them when null
 */
record SplitSource(String warehouse, IcebergCatalogConnection catalog, CatalogKind catalogKind, String table,
    Long snapshotId, int readers, List<Integer> splits) implements ImportSource, Serializable {

  private static final long serialVersionUID = 1L;

  SplitSource {
    splits = splits == null ? null : List.copyOf(splits);
  }

  /**
   * The serializable form of {@code source}.
   *
   * @throws IllegalArgumentException if the source is in a catalog object no {@link IcebergCatalogConnection} made
   */
  static SplitSource of(IcebergSource source, int readers) {
    IcebergCatalogConnection catalog = null;
    if (source.catalog() != null) {
      catalog = SharedCatalogs.connectionOf(source.catalog());
      if (catalog == null) {
        throw new IllegalArgumentException(String.format(
            "Unsupported Iceberg source on Spark: %s (a catalog object cannot travel to executors; name the "
                + "catalog with IcebergCatalogConnection.of(name, properties) or .fromSparkCatalog(spark, name) and "
                + "use its source(table), or give a warehouse directory every executor reaches)",
            source.describe()));
      }
    }
    return new SplitSource(catalog == null ? source.warehouse().toAbsolutePath().toString() : null, catalog,
        source.catalogKind(), source.table().toString(), source.snapshotId(), readers, null);
  }

  /** This source reading only the splits {@code indices}. */
  SplitSource only(List<Integer> indices) {
    return new SplitSource(warehouse, catalog, catalogKind, table, snapshotId, readers, indices);
  }

  /** This source pinned to {@code id}. */
  SplitSource at(Long id) {
    return new SplitSource(warehouse, catalog, catalogKind, table, id, readers, splits);
  }

  /** The real source on this JVM. */
  IcebergSource toSource() {
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
