package dev.ringsweep.internal.iceberg;

import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.internal.DurableFiles;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.SegmentWriter;
import dev.ringsweep.internal.export.Targets;
import dev.ringsweep.internal.export.WrittenFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.PartitioningWriter;
import org.apache.iceberg.io.RollingDataWriter;

/**
 * The output of an Iceberg target: workers write Parquet data files into the table's location, nothing is visible
 * until {@link #commit}, which adds all of them in ONE atomic commit (creating the table in the same commit when it
 * did not exist). A failed export therefore leaves no snapshot (and no new table) behind.
 */
final class IcebergOutput implements OutputFormat {

  private final IcebergTarget target;
  private final IcebergCatalogs.Opened catalog;
  private final IcebergRowMapping mapping;
  private final String runId;
  private final Transaction createTransaction;
  private final Table table;
  private final Long startSnapshotId;
  private final GenericFileWriterFactory writerFactory;

  private IcebergOutput(IcebergTarget target, IcebergCatalogs.Opened catalog, IcebergRowMapping mapping,
      String runId, Transaction createTransaction, Table table) {
    this.target = target;
    this.catalog = catalog;
    this.mapping = mapping;
    this.runId = runId;
    this.createTransaction = createTransaction;
    this.table = table;
    // A table another JVM handed over for writing only (IcebergTables) may have no metadata file to read snapshots
    // from (a table its commit will create), and its writers never commit.
    this.startSnapshotId = IcebergTables.writersOnly(catalog.catalog()) || table.currentSnapshot() == null ? null
        : table.currentSnapshot().snapshotId();
    this.writerFactory =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(table.schema())
            .writerProperties(Map.of(TableProperties.PARQUET_COMPRESSION, target.compression().codec(),
                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(Targets.ROW_GROUP_SIZE_BYTES)))
            .build();
  }

  /**
   * Opens the catalog and the table, or prepares the table's creation (committed with the data).
   *
   * @throws IllegalStateException if an existing table's columns differ from the exported ones
   */
  static IcebergOutput open(IcebergTarget target, IcebergRowMapping mapping, Map<String, String> properties,
      String runId) {
    IcebergCatalogs.Opened opened = IcebergCatalogs.open(target);
    try {
      Catalog catalog = opened.catalog();
      TableIdentifier id = target.table();
      if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(id.namespace())) {
        try {
          namespaces.createNamespace(id.namespace());
        } catch (AlreadyExistsException e) {
          // created meanwhile
        }
      }
      if (catalog.tableExists(id)) {
        Table table = catalog.loadTable(id);
        IcebergSchemas.checkCompatible(id, table.schema(), mapping.schema());
        return new IcebergOutput(target, opened, mapping, runId, null, table);
      }
      PartitionSpec spec = IcebergSchemas.spec(mapping.schema(), target.partitionBy());
      Transaction create =
          catalog.buildTable(id, mapping.schema())
              .withPartitionSpec(spec)
              .withProperties(properties)
              .withProperty(TableProperties.PARQUET_COMPRESSION, target.compression().codec())
              .withProperty(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                  Long.toString(target.targetFileSizeBytes()))
              .withProperty(TableProperties.FORMAT_VERSION, "2")
              .withProperty(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(Targets.ROW_GROUP_SIZE_BYTES))
              .createTransaction();
      return new IcebergOutput(target, opened, mapping, runId, create, create.table());
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  @Override
  public SegmentWriter newSegment(int worker, int sequence) {
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, worker, sequence).format(FileFormat.PARQUET).operationId(runId).build();
    PartitionSpec spec = table.spec();
    Schema schema = table.schema();
    if (spec.isUnpartitioned()) {
      RollingDataWriter<Record> writer =
          new RollingDataWriter<>(writerFactory, files, table.io(), target.targetFileSizeBytes(), spec, null);
      return new Segment(() -> writer.result(), writer::close, writer::length) {
        @Override
        public void write(Object[] row) {
          writer.write(mapping.toRecord(row));
          rows++;
        }
      };
    }
    PartitioningWriter<Record, DataWriteResult> writer =
        new FanoutDataWriter<>(writerFactory, files, table.io(), target.targetFileSizeBytes());
    PartitionKey key = new PartitionKey(spec, schema);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    return new Segment(() -> writer.result(), writer::close, () -> -1L) {
      @Override
      public void write(Object[] row) {
        Record record = mapping.toRecord(row);
        key.partition(wrapper.wrap(record));
        writer.write(record, spec, key);
        rows++;
      }
    };
  }

  /** A segment over an Iceberg writer: its files are known once it is closed. */
  private abstract class Segment implements SegmentWriter {
    private final java.util.function.Supplier<DataWriteResult> result;
    private final IoAction close;
    private final java.util.function.LongSupplier length;
    long rows;
    private boolean closed;

    Segment(java.util.function.Supplier<DataWriteResult> result, IoAction close,
        java.util.function.LongSupplier length) {
      this.result = result;
      this.close = close;
      this.length = length;
    }

    @Override
    public long bytes() {
      return length.getAsLong();
    }

    @Override
    public List<WrittenFile> finish() {
      try {
        closed = true;
        close.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<WrittenFile> out = new ArrayList<>();
      Set<Path> directories = new HashSet<>();
      for (DataFile f : result.get().dataFiles()) {
        force(f.location(), directories);
        out.add(new WrittenFile(f.location(), f.recordCount(), f.fileSizeInBytes(), serialize(f)));
      }
      try {
        for (Path directory : directories) {
          DurableFiles.forceDirectory(directory);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }

    @Override
    public void abort() {
      try {
        if (!closed) {
          close.run();
        }
        for (DataFile f : result.get().dataFiles()) {
          table.io().deleteFile(f.location());
        }
      } catch (IOException | RuntimeException e) {
        // best effort on a failed export
      }
    }
  }

  /**
   * Forces a local data file to disk before the checkpoint records it, and notes its directory (and the partition
   * directories above it, up to the table's data directory, which Iceberg's writer may have just created) to be
   * forced once. A file of a remote table is its object store's business.
   */
  private void force(String location, Set<Path> directories) {
    Path file = IcebergCatalogs.localPath(location);
    if (file == null) {
      return;
    }
    try {
      DurableFiles.force(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path data = IcebergCatalogs.localPath(table.location() + "/data");
    for (Path d = file.getParent(); d != null; d = d.getParent()) {
      directories.add(d);
      if (data == null || d.equals(data) || !d.startsWith(data)) {
        break;
      }
    }
  }

  /** An action that may throw IOException. */
  private interface IoAction {
    void run() throws IOException;
  }

  @Override
  public boolean holdsOutput() {
    return createTransaction == null && startSnapshotId != null;
  }

  @Override
  public void checkFinished(Path checkpointFile, Collection<WrittenFile> files) {
    for (WrittenFile f : files) {
      if (!table.io().newInputFile(f.path()).exists()) {
        throw new IllegalStateException(String.format(
            "Cannot resume: checkpoint %s records the finished data file %s, which does not exist; %s",
            checkpointFile, f.path(), new IcebergTargetFormats().forTarget(target).startAfresh()));
      }
    }
  }

  /** Deletes data files of {@code runs} not among {@code kept}, matched by file name (the run id is part of it). */
  @Override
  public void deleteStrays(Collection<String> runs, Collection<WrittenFile> kept) {
    Path data = IcebergCatalogs.localPath(table.location() + "/data");
    if (data == null || !Files.isDirectory(data)) {
      return; // a remote table: leave strays to Iceberg's orphan-file removal
    }
    Set<String> keep = new HashSet<>();
    kept.forEach(f -> keep.add(fileName(f.path())));
    try (Stream<Path> files = Files.walk(data)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        boolean ours = Files.isRegularFile(p) && runs.stream().anyMatch(r -> name.contains("-" + r + "-"));
        if (ours && !keep.contains(name)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fileName(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** The table the files are written into (for the creation of a new table: the table as it will be created). */
  Table table() {
    return table;
  }

  @Override
  public void commit(List<WrittenFile> files) {
    if (IcebergTables.writersOnly(catalog.catalog())) {
      throw new IllegalStateException("Cannot commit to " + target.describe()
          + ": the table was handed over for writing data files only; the JVM that handed it over commits");
    }
    List<DataFile> dataFiles = new ArrayList<>();
    files.forEach(f -> dataFiles.add(deserialize(f.icebergDataFile())));
    if (createTransaction != null) {
      if (!dataFiles.isEmpty()) {
        AppendFiles append = createTransaction.newAppend().set(RUN_PROPERTY, runId);
        dataFiles.forEach(append::appendFile);
        append.commit();
      }
      createTransaction.commitTransaction();
    } else if (target.writeMode() == WriteMode.OVERWRITE) {
      OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue())
          .set(RUN_PROPERTY, runId);
      if (startSnapshotId != null) {
        overwrite.validateFromSnapshot(startSnapshotId).validateNoConflictingData().validateNoConflictingDeletes();
      }
      dataFiles.forEach(overwrite::addFile);
      overwrite.commit();
    } else if (!dataFiles.isEmpty()) {
      AppendFiles append = table.newAppend().set(RUN_PROPERTY, runId);
      dataFiles.forEach(append::appendFile);
      append.commit();
    }
  }

  /**
   * The snapshot summary property naming the export run whose commit made the snapshot (the run id of the data
   * files' names): what {@link #committed} looks for.
   */
  static final String RUN_PROPERTY = "ringsweep.export-run";

  /**
   * Whether one of {@code runs} committed to the table: a snapshot of the table says so ({@link #RUN_PROPERTY}), or,
   * once that snapshot has expired, the table's current files include data files of one of the runs (their names
   * carry the run id). Without the second look a resume after an expired commit would append the same files again.
   */
  @Override
  public boolean committed(Collection<String> runs) {
    if (createTransaction != null) {
      return false; // the table does not exist yet: nothing of it was committed
    }
    table.refresh();
    for (org.apache.iceberg.Snapshot snapshot : table.snapshots()) {
      String run = snapshot.summary() == null ? null : snapshot.summary().get(RUN_PROPERTY);
      if (run != null && runs.contains(run)) {
        return true;
      }
    }
    if (table.currentSnapshot() == null || runs.isEmpty()) {
      return false;
    }
    try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> live =
        table.newScan().planFiles()) {
      for (org.apache.iceberg.FileScanTask task : live) {
        String name = fileName(task.file().location());
        if (runs.stream().anyMatch(r -> name.contains("-" + r + "-"))) {
          return true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return false;
  }

  @Override
  public void discard(List<WrittenFile> files) {
    for (WrittenFile f : files) {
      try {
        table.io().deleteFile(f.path());
      } catch (RuntimeException e) {
        // best effort on a failed export
      }
    }
  }

  @Override
  public void close() {
    catalog.close();
  }

  static String serialize(DataFile file) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  static DataFile deserialize(String base64) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
      return (DataFile) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Unreadable data file in checkpoint", e);
    }
  }
}
