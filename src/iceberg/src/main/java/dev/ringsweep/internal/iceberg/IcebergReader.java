package dev.ringsweep.internal.iceberg;

import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CombinedScanTask;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.NativelyEncryptedFile;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.formats.ReadBuilder;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.TableScanUtil;

/**
 * Reads an Iceberg table (the current snapshot or an older one): the scan's combined tasks are the splits (files
 * split at row-group boundaries, small ones packed together; about 64 of them, 1 to 128 MiB each), each
 * read with Iceberg's generic readers, deletes applied. The CQL types come from the table properties export wrote.
 */
final class IcebergReader {

  /** Smallest target bytes of one split. */
  static final long MIN_SPLIT_BYTES = 1024L * 1024;
  /** Largest target bytes of one split. */
  static final long MAX_SPLIT_BYTES = 128L * 1024 * 1024;
  /** The splits a table is planned in, within those bounds: four per reader for the most default readers. */
  static final long SPLITS = 4L * dev.ringsweep.imports.ImportOptions.MAX_DEFAULT_READERS;

  private IcebergReader() {}

  /** The tables of a catalog, for error messages: all of them when it lists namespaces, else "unknown". */
  private static String tablesIn(org.apache.iceberg.catalog.Catalog catalog) {
    if (!(catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces namespaces)) {
      return "unknown (the catalog does not list namespaces)";
    }
    List<String> names = new ArrayList<>();
    try {
      java.util.ArrayDeque<org.apache.iceberg.catalog.Namespace> todo =
          new java.util.ArrayDeque<>(namespaces.listNamespaces());
      while (!todo.isEmpty() && names.size() < 50) {
        org.apache.iceberg.catalog.Namespace namespace = todo.poll();
        catalog.listTables(namespace).forEach(t -> names.add(t.toString()));
        todo.addAll(namespaces.listNamespaces(namespace));
      }
    } catch (RuntimeException e) {
      return "unknown (listing them failed: " + e.getMessage() + ")";
    }
    java.util.Collections.sort(names);
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /**
   * Opens the table and plans the scan; the reader keeps the catalog open until it is closed.
   *
   * @throws IllegalArgumentException if the warehouse, the table or the snapshot does not exist
   */
  static SourceReader open(IcebergSource source) {
    IcebergCatalogs.Opened catalog = catalog(source);
    try {
      Table table;
      try {
        table = catalog.catalog().loadTable(source.table());
      } catch (NoSuchTableException e) {
        throw new IllegalArgumentException(String.format("Unknown Iceberg table: %s (in %s; tables there: %s)",
            source.table(), source.describe(), tablesIn(catalog.catalog())), e);
      }
      TableScan scan = table.newScan();
      if (source.snapshotId() != null) {
        if (table.snapshot(source.snapshotId()) == null) {
          List<Long> ids = new ArrayList<>();
          table.snapshots().forEach(s -> ids.add(s.snapshotId()));
          throw new IllegalArgumentException(String.format("Unknown snapshot %s of Iceberg table %s (snapshots: %s)",
              source.snapshotId(), source.table(), ids));
        }
        scan = scan.useSnapshot(source.snapshotId());
      }
      return plan(source, catalog, table, scan);
    } catch (RuntimeException e) {
      catalog.close();
      throw e;
    }
  }

  private static SourceReader plan(IcebergSource source, IcebergCatalogs.Opened catalog, Table table,
      TableScan scan) {
    Schema schema = scan.schema();
    Map<String, String> properties = table.properties();
    List<SourceColumn> columns = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      columns.add(IcebergFormat.column(field.name(), field.type(),
          properties.get(IcebergRowMapping.TYPE_PROPERTY_PREFIX + field.name())));
    }
    long rows = 0;
    long bytes = 0;
    boolean deletes = false;
    List<FileScanTask> planned = new ArrayList<>();
    try (CloseableIterable<FileScanTask> files = scan.planFiles()) {
      for (FileScanTask file : files) {
        planned.add(file);
        deletes |= !file.deletes().isEmpty();
        rows += file.file().recordCount();
        bytes += file.file().fileSizeInBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // About SPLITS splits, so that readers finish together (four each for the most readers by default); never
    // smaller than a row group allows. Not from the number of readers: a resumed import may run with another number
    // (another machine, Spark), and its checkpoint's split names must stand for the same rows.
    long splitBytes = Math.max(MIN_SPLIT_BYTES, Math.min(MAX_SPLIT_BYTES, bytes / SPLITS));
    String name = source.table().toString();
    List<SourceColumn> projected = List.copyOf(columns);
    List<TaskSplit> splits = new ArrayList<>();
    // Iceberg plans the files of several manifests in parallel, in an order that differs from one planning to the
    // next, and packs them into tasks in that order. The files are sorted first so that every planning of a snapshot
    // (a Spark executor's, a resumed import's) yields the same splits in the same order: split i is the same rows
    // everywhere, and a checkpoint's split names mean the same rows on resume.
    planned.sort(java.util.Comparator.comparing((FileScanTask f) -> f.file().location())
        .thenComparingLong(FileScanTask::start));
    try (CloseableIterable<CombinedScanTask> tasks = TableScanUtil.planTasks(
        TableScanUtil.splitFiles(CloseableIterable.withNoopClose(planned), splitBytes), splitBytes,
        PropertyUtil.propertyAsInt(properties, TableProperties.SPLIT_LOOKBACK, TableProperties.SPLIT_LOOKBACK_DEFAULT),
        PropertyUtil.propertyAsLong(properties, TableProperties.SPLIT_OPEN_FILE_COST,
            TableProperties.SPLIT_OPEN_FILE_COST_DEFAULT))) {
      for (CombinedScanTask task : tasks) {
        splits.add(new TaskSplit(name, table, schema, projected, task, splits.size()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SourceReader(source.describe(), IcebergFormat.INSTANCE, projected, splits, deletes ? -1 : rows,
        catalog::close);
  }

  private static IcebergCatalogs.Opened catalog(IcebergSource source) {
    if (source.catalog() != null) {
      return IcebergCatalogs.open(ExportTargets.iceberg(source.catalog(), source.table()));
    }
    if (!Files.isDirectory(source.warehouse())) {
      throw new IllegalArgumentException(
          String.format("Invalid Iceberg warehouse: %s (not a directory)", source.warehouse()));
    }
    CatalogKind kind = source.catalogKind();
    if (kind == null) {
      boolean jdbc = Files.exists(source.warehouse().resolve(IcebergCatalogs.SQLITE_FILE));
      kind = jdbc ? CatalogKind.JDBC_SQLITE : CatalogKind.HADOOP;
    }
    IcebergTarget target = ExportTargets.iceberg(source.warehouse(), source.table().toString()).withCatalogKind(kind);
    return IcebergCatalogs.open(target);
  }

  /**
   * One combined scan task of {@code table}, projected to {@code schema}: its file tasks read one after the other.
   * {@code name} is the table as the source names it, for the description (which an import checkpoint records).
   */
  private record TaskSplit(String name, Table table, Schema schema, List<SourceColumn> columns, CombinedScanTask task,
      int index) implements SourceReader.Split {

    /**
     * The table, the task's index, its first file and where in it the task starts, its file count and its bytes:
     * what an import checkpoint records, and a resume finds again only if the same planning gives the same rows.
     */
    @Override
    public String describe() {
      FileScanTask first = task.files().iterator().next();
      long length = 0;
      for (FileScanTask file : task.files()) {
        length += file.length();
      }
      return String.format("%s task %s (%s from byte %s%s; %s bytes)", name, index, first.file().location(),
          first.start(), task.files().size() > 1 ? " and " + (task.files().size() - 1) + " more files" : "",
          length);
    }

    @Override
    public SourceReader.Rows open() {
      List<CloseableIterable<Record>> parts = new ArrayList<>();
      for (FileScanTask file : task.files()) {
        parts.add(naming(file.file().location(), read(file)));
      }
      CloseableIterable<Record> all = CloseableIterable.concat(parts);
      CloseableIterator<Record> records = all.iterator();
      return SourceReader.Rows.of(records, r -> {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.getField(columns.get(i).name());
        }
        return SourceReader.RawRow.of(values, null);
      }, () -> {
        records.close();
        all.close();
      });
    }

    /**
     * {@code rows}, with a failure to read them naming the data file (a split packs several files together, and its
     * description names only the first).
     */
    private static CloseableIterable<Record> naming(String location, CloseableIterable<Record> rows) {
      return new CloseableIterable<>() {
        @Override
        public CloseableIterator<Record> iterator() {
          CloseableIterator<Record> it = rows.iterator();
          return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
              try {
                return it.hasNext();
              } catch (RuntimeException e) {
                throw unreadable(location, e);
              }
            }

            @Override
            public Record next() {
              try {
                return it.next();
              } catch (RuntimeException e) {
                throw unreadable(location, e);
              }
            }

            @Override
            public void close() throws IOException {
              it.close();
            }
          };
        }

        @Override
        public void close() throws IOException {
          rows.close();
        }
      };
    }

    private static RuntimeException unreadable(String location, RuntimeException e) {
      return new IllegalStateException(String.format("Corrupt or unreadable data file %s: %s", location,
          e.getMessage() != null ? e.getMessage() : e.toString()), e);
    }

    /**
     * {@code file} read with page checksum verification (a file using Parquet's own encryption is left as it is:
     * its reader needs the original file).
     */
    private static InputFile verified(InputFile file) {
      if (file instanceof NativelyEncryptedFile encrypted && encrypted.nativeCryptoParameters() != null) {
        return file;
      }
      return VerifiedInputFile.of(file);
    }

    /** The rows of one file task, deletes applied, as Iceberg's own generic reader reads them. */
    private CloseableIterable<Record> read(FileScanTask file) {
      GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), file, table.schema(), schema);
      Schema required = deletes.requiredSchema();
      ReadBuilder<Record, Object> builder = FormatModelRegistry.<Record, Object>readBuilder(
              file.file().format(), Record.class, verified(table.io().newInputFile(file.file())))
          .project(required)
          .idToConstant(PartitionUtil.constantsMap(file, IdentityPartitionConverters::convertConstant))
          .split(file.start(), file.length())
          .filter(file.residual());
      String mapping = table.properties().get(TableProperties.DEFAULT_NAME_MAPPING);
      if (mapping != null) {
        builder = builder.withNameMapping(NameMappingParser.fromJson(mapping));
      }
      return deletes.filter(builder.build());
    }
  }
}
