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

/**
 * Some of the splits of an Iceberg table pinned to one snapshot: what one import task reads. Every JVM plans the
 * same snapshot with the same reader count, so split {@code i} is the same piece of the table everywhere.
 *
 * @param warehouse the warehouse directory (reachable from every executor)
 * @param catalogKind the warehouse's catalog kind, or null to detect it
 * @param table the table, {@code namespace.table}
 * @param snapshotId the snapshot every task reads
 * @param readers the reader count the splits were planned for
 * @param splits the indices of the splits to read; all of them when null
 */
record SplitSource(String warehouse, CatalogKind catalogKind, String table, Long snapshotId, int readers,
    List<Integer> splits) implements ImportSource, Serializable {

  private static final long serialVersionUID = 1L;

  SplitSource {
    splits = splits == null ? null : List.copyOf(splits);
  }

  /**
   * The serializable form of {@code source}.
   *
   * @throws IllegalArgumentException if the source is in a user's catalog object
   */
  static SplitSource of(IcebergSource source, int readers) {
    if (source.catalog() != null) {
      throw new IllegalArgumentException(String.format(
          "Unsupported Iceberg source on Spark: %s (a catalog object cannot travel to executors; give a warehouse "
              + "directory every executor reaches, ImportSources.iceberg(Path, String))", source.describe()));
    }
    return new SplitSource(source.warehouse().toAbsolutePath().toString(), source.catalogKind(),
        source.table().toString(), source.snapshotId(), readers, null);
  }

  /** This source reading only the splits {@code indices}. */
  SplitSource only(List<Integer> indices) {
    return new SplitSource(warehouse, catalogKind, table, snapshotId, readers, indices);
  }

  /** This source pinned to {@code id}. */
  SplitSource at(Long id) {
    return new SplitSource(warehouse, catalogKind, table, id, readers, splits);
  }

  /** The real source on this JVM. */
  IcebergSource toSource() {
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

  /** Opens the real source with the other providers and keeps the chosen splits; registered as a service. */
  public static final class Provider implements SourceReaderProvider {
    @Override
    public SourceReader open(ImportSource source, int ignored) {
      if (!(source instanceof SplitSource split)) {
        return null;
      }
      SourceReader real = null;
      for (SourceReaderProvider provider : ServiceLoader.load(SourceReaderProvider.class,
          SourceReaderProvider.class.getClassLoader())) {
        if (!(provider instanceof Provider)) {
          real = provider.open(split.toSource(), split.readers());
          if (real != null) {
            break;
          }
        }
      }
      if (real == null) {
        throw new IllegalStateException(
            "No reader of Iceberg tables on the classpath (dev.ringsweep:ringsweep-iceberg)");
      }
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
