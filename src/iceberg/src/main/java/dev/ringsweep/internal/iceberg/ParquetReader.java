package dev.ringsweep.internal.iceberg;

import dev.ringsweep.iceberg.ParquetSource;
import dev.ringsweep.internal.imports.SourceReader.RawRow;
import dev.ringsweep.internal.imports.SourceReader.Rows;
import dev.ringsweep.internal.imports.SourceReader.Split;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFiles;
import dev.ringsweep.internal.imports.SourceReader;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Reads Parquet files, one split per row group, with Iceberg's generic Parquet reader. The schema comes from the
 * footers: the Iceberg schema recorded by Iceberg's writer (export's files), else the Parquet schema with its field
 * ids, or positional ids when it has none (files from elsewhere); the CQL types
 * from the {@code ringsweep.cql.type.<column>} key/value metadata export writes. Every file must have the same
 * columns and recorded types as the first; that is checked, footers only, before anything is read.
 */
final class ParquetReader {

  /** The key of the Iceberg schema in the metadata of a Parquet file written by Iceberg. */
  private static final String ICEBERG_SCHEMA = "iceberg.schema";

  /** Whether Iceberg's Parquet classes are the ones this module reads footers with (not relocated). */
  private static final boolean ICEBERG_TAKES_OUR_PARQUET = icebergTakesOurParquet();

  /** One row group of one file, and the file's size. */
  private record RowGroup(Path file, long fileBytes, int index, long start, long length, Schema schema) {}

  private ParquetReader() {}

  /**
   * Reads the footers of every file and plans one split per row group.
   *
   * @throws IllegalArgumentException if there is no Parquet file, or the files' columns or recorded types differ
   */
  static SourceReader open(ParquetSource source) {
    List<Path> files = SourceFiles.list(source.path(), ".parquet");
    if (files.isEmpty()) {
      throw new IllegalArgumentException(SourceFiles.noDataFiles(source.path(), "Parquet"));
    }
    List<SourceColumn> columns = null;
    Path first = null;
    List<Split> splits = new ArrayList<>();
    long rows = 0;
    for (Path file : files) {
      ParquetMetadata footer = footer(file);
      long fileBytes = size(file);
      MessageType type = footer.getFileMetaData().getSchema();
      Map<String, String> metadata = footer.getFileMetaData().getKeyValueMetaData();
      // Iceberg's writer records its schema: it keeps types Parquet cannot name (uuid is a plain fixed[16] there).
      Schema schema = metadata.containsKey(ICEBERG_SCHEMA) && hasIds(type)
          ? SchemaParser.fromJson(metadata.get(ICEBERG_SCHEMA))
          : converted(file, type);
      List<SourceColumn> fileColumns = new ArrayList<>();
      for (Types.NestedField field : schema.columns()) {
        fileColumns.add(IcebergFormat.column(field.name(), field.type(),
            metadata.get(IcebergRowMapping.TYPE_PROPERTY_PREFIX + field.name())));
      }
      if (columns == null) {
        columns = fileColumns;
        first = file;
      } else if (!sameColumns(columns, fileColumns)) {
        throw new IllegalArgumentException(String.format(
            "Parquet file %s has columns %s, unlike %s with %s (all files of a source must have the same columns)",
            file, describe(fileColumns), first, describe(columns)));
      }
      List<BlockMetaData> blocks = footer.getBlocks();
      for (int i = 0; i < blocks.size(); i++) {
        BlockMetaData block = blocks.get(i);
        rows += block.getRowCount();
        splits.add(new GroupSplit(new RowGroup(file, fileBytes, i, block.getStartingPos(), block.getCompressedSize(), schema),
            fileColumns));
      }
    }
    return new SourceReader(source.describe(), IcebergFormat.INSTANCE, columns, splits, rows, () -> {});
  }

  /** Whether a field of {@code type} has a field id (as Iceberg's {@code ParquetSchemaUtil.hasIds}). */
  private static boolean hasIds(org.apache.parquet.schema.Type type) {
    return type.getId() != null
        || !type.isPrimitive() && type.asGroupType().getFields().stream().anyMatch(ParquetReader::hasIds);
  }

  /**
   * The Iceberg schema of a file without one in its metadata (a file from elsewhere), converted from its Parquet
   * schema by Iceberg, with positional field ids when it has none (Iceberg's reader gives such a file the same ids).
   *
   * <p>iceberg-spark-runtime relocates Parquet, so its {@code ParquetSchemaUtil} takes its own {@code MessageType},
   * not the one this module read the footer with; there the schema is handed over as text, parsed by that Parquet's
   * {@code MessageTypeParser} (Parquet's own printed form of a schema, which it parses back: names, repetition,
   * logical types and field ids).
   *
   * @throws IllegalArgumentException naming the file when the relocated Iceberg cannot take the schema
   */
  private static Schema converted(Path file, MessageType type) {
    if (ICEBERG_TAKES_OUR_PARQUET) {
      return ParquetSchemaUtil.convert(hasIds(type) ? type : ParquetSchemaUtil.addFallbackIds(type));
    }
    try {
      Method convert = relocatedConvert();
      Class<?> relocatedType = convert.getParameterTypes()[0];
      Object parsed = Class.forName(relocatedType.getPackageName() + ".MessageTypeParser", true,
              relocatedType.getClassLoader())
          .getMethod("parseMessageType", String.class).invoke(null, type.toString());
      if (!hasIds(type)) {
        parsed = ParquetSchemaUtil.class.getMethod("addFallbackIds", relocatedType).invoke(null, parsed);
      }
      return (Schema) convert.invoke(null, parsed);
    } catch (InvocationTargetException e) {
      throw unsupported(file, e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported(file, e);
    }
  }

  /** {@code ParquetSchemaUtil.convert} of a relocated Parquet's {@code MessageType}. */
  private static Method relocatedConvert() throws NoSuchMethodException {
    for (Method m : ParquetSchemaUtil.class.getMethods()) {
      if (m.getName().equals("convert") && m.getParameterCount() == 1 && m.getReturnType() == Schema.class
          && m.getParameterTypes()[0].getSimpleName().equals("MessageType")) {
        return m;
      }
    }
    throw new NoSuchMethodException("ParquetSchemaUtil.convert(MessageType)");
  }

  private static IllegalArgumentException unsupported(Path file, Throwable cause) {
    return new IllegalArgumentException(String.format("Unsupported Parquet file here: %s has no Iceberg schema in its "
        + "metadata (it was not written by Ringsweep or Iceberg), and the Iceberg on this classpath, which relocates "
        + "Parquet (iceberg-spark-runtime), could not convert its Parquet schema (%s); import it in a single JVM",
        file, cause), cause);
  }

  private static boolean icebergTakesOurParquet() {
    try {
      ParquetSchemaUtil.class.getMethod("convert", MessageType.class);
      return true;
    } catch (NoSuchMethodException | LinkageError e) {
      return false;
    }
  }

  private static boolean sameColumns(List<SourceColumn> a, List<SourceColumn> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      SourceColumn x = a.get(i);
      SourceColumn y = b.get(i);
      if (!x.name().equals(y.name()) || !IcebergTypes.sameShape((Type) x.storedType(), (Type) y.storedType())
          || !java.util.Objects.equals(x.recordedCqlType(), y.recordedCqlType())) {
        return false;
      }
    }
    return true;
  }

  private static String describe(List<SourceColumn> columns) {
    return columns.stream().map(c -> c.name() + " " + c.describeType()).toList().toString();
  }

  private static ParquetMetadata footer(Path file) {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getFooter();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(String.format("Unreadable Parquet file %s: %s", file, e.getMessage()), e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(String.format("Unreadable Parquet file %s: %s", file, e), e);
    }
  }

  /**
   * One row group, read with Iceberg's generic Parquet reader, page checksums verified: a damaged page fails the read
   * of its row group before any of its rows is returned.
   */
  private record GroupSplit(RowGroup group, List<SourceColumn> columns) implements Split {
    @Override
    public String describe() {
      return group.file() + " row group " + group.index();
    }

    /**
     * The file, its size and the row group: a file rewritten under the same name between two runs of an import (with
     * other rows) is then another split, and a resume refuses the checkpoint rather than skip it.
     */
    @Override
    public String checkpointName() {
      return group.file() + " (" + group.fileBytes() + " bytes) row group " + group.index();
    }

    @Override
    public Rows open() {
      CloseableIterable<Record> records = FormatModelRegistry.<Record, Object>readBuilder(
              FileFormat.PARQUET, Record.class,
              VerifiedInputFile.of(org.apache.iceberg.Files.localInput(group.file().toFile())))
          .project(group.schema())
          .split(group.start(), group.length())
          .build();
      CloseableIterator<Record> it = records.iterator();
      return Rows.of(it, r -> {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = r.get(i);
        }
        return RawRow.of(values, null);
      }, () -> {
        it.close();
        records.close();
      });
    }
  }
}
