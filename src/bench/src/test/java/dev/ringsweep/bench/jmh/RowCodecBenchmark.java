package dev.ringsweep.bench.jmh;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringsweep.bench.BenchTable;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.format.TextCodec;
import dev.ringsweep.internal.iceberg.IcebergFormat;
import dev.ringsweep.internal.iceberg.IcebergRowMapping;
import dev.ringsweep.internal.imports.Conversions;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.TextFormat;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.data.Record;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client CPU cost of converting one row, both directions, in memory (no Cassandra node, no file): the part of
 * export's and import's CPU per row (issue 15) that is Ringsweep's own conversions, tracked as a number. Two row
 * shapes ({@link #table}): a row of the harness's {@code bench.data} ({@link BenchTable}, 11 common columns; 1,024
 * different rows in turn) and the typical row of the every-type table of the round-trip tests ({@link AllTypes}, 31
 * columns: every CQL type, nested collections, tuple, UDTs, vector).
 *
 * <p>Each benchmark runs Ringsweep's own converters ({@link TextCodec}, {@link IcebergRowMapping},
 * {@link Conversions} with {@link IcebergFormat} and {@link TextFormat}); only the few lines around them that live in
 * package-private or session-bound classes are repeated here, each saying which code it stands for. Not measured:
 * the driver's frame decoding before the row, Parquet's column writing and reading, the CSV quoting scan, the bytes
 * of text files reaching a stream (UTF-8 encoding, gzip), and the import's statement building beyond encoding the
 * values.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RowCodecBenchmark {

  private static final ProtocolVersion PROTOCOL = ProtocolVersion.DEFAULT;
  private static final CodecRegistry REGISTRY = CodecRegistry.DEFAULT;
  private static final int BENCH_ROWS = 1024;

  /** The row shape: {@code bench} ({@code bench.data}) or {@code every-type} (the round-trip tests' table). */
  @Param({"bench", "every-type"})
  public String table;

  private List<CqlColumn> columns;
  private DataType[] types;
  /** Driver Java values of each row, as {@code Row.getObject} returns them. */
  private Object[][] values;
  /** Each row's cells serialized as the native protocol carries them: what export's reader decodes. */
  private ByteBuffer[][] serialized;
  /** The driver codec of each column, resolved once, as export's {@code RangeReader} does. */
  private TypeCodec<?>[] driverCodecs;
  private IcebergRowMapping mapping;
  /** Each row as an Iceberg record: what an import reads from Parquet or Iceberg. */
  private Record[] records;
  private TextCodec[] textCodecs;
  /** Each row's CSV cells (null for null): what an import reads from CSV. */
  private String[][] csvCells;
  private Conversions.Converter[] fromIceberg;
  private Conversions.Converter[] fromCsv;
  private final StringBuilder line = new StringBuilder();
  private JsonGenerator json;
  private int next = -1;

  /** Builds the rows, their serialized and converted forms, and checks that every path returns the row it got. */
  @Setup
  public void setUp() throws IOException {
    List<Object[]> rows;
    switch (table) {
      case "bench" -> {
        columns = BenchTable.columns();
        rows = new ArrayList<>();
        for (long n = 0; n < BENCH_ROWS; n++) {
          rows.add(BenchTable.values(1_000_000L + n));
        }
      }
      case "every-type" -> {
        UserDefinedType[] udts = AllTypes.detachedUdts();
        columns = AllTypes.columns(udts[0], udts[1]);
        // The first row: typical values (the others are nulls, empties and extremes, for correctness tests).
        rows = AllTypes.rows(udts[0], udts[1], AllTypes.tupleType()).subList(0, 1);
      }
      default -> throw new IllegalArgumentException("Invalid table: " + table + " (must be bench or every-type)");
    }
    int width = columns.size();
    types = columns.stream().map(CqlColumn::type).toArray(DataType[]::new);
    values = rows.toArray(new Object[0][]);
    driverCodecs = new TypeCodec<?>[width];
    textCodecs = new TextCodec[width];
    fromIceberg = new Conversions.Converter[width];
    fromCsv = new Conversions.Converter[width];
    mapping = IcebergRowMapping.of(columns);
    for (int c = 0; c < width; c++) {
      CqlColumn column = columns.get(c);
      driverCodecs[c] = REGISTRY.codecFor(column.type());
      textCodecs[c] = TextCodec.of(column.type());
      // As an import plans each column, from the types export recorded (ImportPlan.of).
      SourceColumn stored = IcebergFormat.column(column.name(), mapping.schema().columns().get(c).type(),
          column.cqlType());
      fromIceberg[c] = resolved(Conversions.resolve(IcebergFormat.INSTANCE, stored, column.type()));
      fromCsv[c] = resolved(Conversions.resolve(TextFormat.CSV,
          SourceColumn.text(column.name(), column.cqlType()), column.type()));
    }
    serialized = new ByteBuffer[values.length][];
    records = new Record[values.length];
    csvCells = new String[values.length][];
    for (int r = 0; r < values.length; r++) {
      serialized[r] = new ByteBuffer[width];
      csvCells[r] = new String[width];
      for (int c = 0; c < width; c++) {
        Object v = values[r][c];
        serialized[r][c] = v == null ? null : encode(types[c], v);
        csvCells[r][c] = v == null ? null : textCodecs[c].toText(v);
      }
      records[r] = mapping.toRecord(values[r]);
    }
    json = new JsonFactory().createGenerator(Writer.nullWriter());
    json.setRootValueSeparator(null);
    check();
  }

  /**
   * Export, reading: a row's cells decoded to driver Java values with the codec resolved once per column; the loop
   * of {@code RangeReader.read} (package-private), the {@code Row} from the driver's frame aside.
   */
  @Benchmark
  public Object[] exportDecode() {
    ByteBuffer[] row = serialized[nextRow()];
    Object[] out = new Object[row.length];
    for (int c = 0; c < row.length; c++) {
      ByteBuffer bytes = row[c];
      out[c] = bytes == null ? null : driverCodecs[c].decode(bytes, PROTOCOL);
    }
    return out;
  }

  /** Export to Parquet or Iceberg: driver values to the Iceberg record handed to Parquet's appender. */
  @Benchmark
  public Record exportIcebergRecord() {
    return mapping.toRecord(values[nextRow()]);
  }

  /**
   * Export to CSV: the line of {@code TextFiles.csv} (package-private), cell by cell through {@link TextCodec#toText},
   * without its quoting scan of each cell and the file's UTF-8 encoding.
   */
  @Benchmark
  public String exportCsvLine() {
    Object[] row = values[nextRow()];
    line.setLength(0);
    for (int c = 0; c < row.length; c++) {
      if (c > 0) {
        line.append(',');
      }
      if (row[c] != null) {
        line.append(textCodecs[c].toText(row[c]));
      }
    }
    return line.append("\r\n").toString();
  }

  /**
   * Export to JSON lines: the object of {@code TextFiles.jsonLines} (package-private), written by the same Jackson
   * generator calls into a writer that drops the characters.
   */
  @Benchmark
  public JsonGenerator exportJsonLine() throws IOException {
    Object[] row = values[nextRow()];
    json.writeStartObject();
    for (int c = 0; c < row.length; c++) {
      json.writeFieldName(columns.get(c).name());
      textCodecs[c].write(json, row[c]);
    }
    json.writeEndObject();
    json.writeRaw('\n');
    return json;
  }

  /**
   * Import from Parquet or Iceberg: an Iceberg record's fields (as {@code ParquetReader} takes them) converted to
   * driver values (as {@code ImportPlan.convert} does) and bound (as {@code RowStatements} binds each value: with
   * the codec it resolved once per column, value encoded).
   */
  @Benchmark
  public ByteBuffer[] importIceberg() {
    Record record = records[nextRow()];
    Object[] raw = new Object[types.length];
    for (int c = 0; c < raw.length; c++) {
      raw[c] = record.get(c);
    }
    return bind(convert(raw, fromIceberg));
  }

  /** Import from CSV: a row's cells converted to driver values and bound, as {@link #importIceberg}. */
  @Benchmark
  public ByteBuffer[] importCsv() {
    return bind(convert(csvCells[nextRow()], fromCsv));
  }

  private int nextRow() {
    next = next + 1 == values.length ? 0 : next + 1;
    return next;
  }

  /** {@code ImportPlan.convert} (package-private) without its error wrapping and write-time columns. */
  private Object[] convert(Object[] raw, Conversions.Converter[] converters) {
    Object[] out = new Object[raw.length];
    for (int c = 0; c < raw.length; c++) {
      Object v = raw[c] == null ? null : converters[c].convert(raw[c]);
      out[c] = v != null && Conversions.storedAsNull(types[c], v) ? null : v;
    }
    return out;
  }

  /**
   * The values as {@code RowStatements.set} binds them (the column's codec, resolved once, handed to
   * {@code BoundStatementBuilder.set}, which encodes); null values are left unset.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private ByteBuffer[] bind(Object[] row) {
    ByteBuffer[] out = new ByteBuffer[row.length];
    for (int c = 0; c < row.length; c++) {
      if (row[c] != null) {
        out[c] = ((TypeCodec) driverCodecs[c]).encode(row[c], PROTOCOL);
      }
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ByteBuffer encode(DataType type, Object value) {
    TypeCodec codec = REGISTRY.codecFor(type);
    return codec.encode(value, PROTOCOL);
  }

  private static Conversions.Converter resolved(Conversions.Resolved resolved) {
    if (resolved.problem() != null) {
      throw new IllegalStateException("No conversion: " + resolved.problem());
    }
    return resolved.converter();
  }

  /** Every path must give back each row's values (compared in their text form): else the figures mean nothing. */
  private void check() {
    for (int r = 0; r < values.length; r++) {
      String expected = text(values[r]);
      next = r - 1;
      String decoded = text(exportDecode());
      next = r - 1;
      String fromRecord = text(mapping.toCqlValues(exportIcebergRecord()));
      next = r - 1;
      String imported = text(decode(importIceberg()));
      next = r - 1;
      String fromText = text(decode(importCsv()));
      for (String actual : List.of(decoded, fromRecord, imported, fromText)) {
        if (!actual.equals(expected)) {
          throw new IllegalStateException(String.format("Row %s of %s: got %s, expected %s", r, table, actual,
              expected));
        }
      }
    }
    next = -1;
  }

  private Object[] decode(ByteBuffer[] row) {
    Object[] out = new Object[row.length];
    for (int c = 0; c < row.length; c++) {
      out[c] = row[c] == null ? null : driverCodecs[c].decode(row[c], PROTOCOL);
    }
    return out;
  }

  private String text(Object[] row) {
    String[] cells = new String[row.length];
    for (int c = 0; c < row.length; c++) {
      cells[c] = row[c] == null ? "null" : textCodecs[c].toText(row[c]);
    }
    return Arrays.toString(cells);
  }
}
