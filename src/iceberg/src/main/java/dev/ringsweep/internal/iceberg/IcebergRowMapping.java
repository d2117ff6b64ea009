package dev.ringsweep.internal.iceberg;


import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.format.OnDisk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg schema of a list of CQL columns and the row conversions both ways. Every top-level field is optional
 * (CQL regular columns may be null) and carries its CQL type text as its doc; {@link #properties()} repeats the types
 * as table / file properties ({@code ringsweep.cql.type.<column>}) so that an import can restore each column's exact
 * CQL type. Field ids: 1..n for the columns in order, nested ids after them.
 */
public final class IcebergRowMapping {

  /** Prefix of the property holding a column's CQL type text, followed by the column name. */
  public static final String TYPE_PROPERTY_PREFIX = OnDisk.TYPE_PROPERTY_PREFIX;

  private final List<CqlColumn> columns;
  private final List<IcebergCodec> codecs;
  private final Schema schema;
  /** An empty record of the schema, copied for each row: creating one looks its schema's field names up in a cache. */
  private final Record template;

  private IcebergRowMapping(List<CqlColumn> columns) {
    this.columns = List.copyOf(columns);
    AtomicInteger nextId = new AtomicInteger(columns.size());
    List<IcebergCodec> codecs = new ArrayList<>();
    List<Types.NestedField> fields = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      CqlColumn column = columns.get(i);
      IcebergCodec codec = IcebergCodec.of(column.type(), nextId::incrementAndGet);
      codecs.add(codec);
      fields.add(Types.NestedField.optional(i + 1, column.name(), codec.icebergType(), column.cqlType()));
    }
    this.codecs = List.copyOf(codecs);
    this.schema = new Schema(fields);
    this.template = GenericRecord.create(schema);
  }

  /**
   * The mapping of these columns.
   *
   * @throws IllegalArgumentException if there is no column or two columns share a name
   */
  public static IcebergRowMapping of(List<CqlColumn> columns) {
    Objects.requireNonNull(columns, "columns");
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("Invalid columns: [] (must not be empty)");
    }
    Set<String> names = new HashSet<>();
    for (CqlColumn column : columns) {
      if (!names.add(column.name())) {
        throw new IllegalArgumentException(String.format("Duplicate column name: %s", column.name()));
      }
    }
    return new IcebergRowMapping(columns);
  }

  /** The columns, in order. */
  public List<CqlColumn> columns() {
    return columns;
  }

  /** The Iceberg schema: one optional field per column, in order. */
  public Schema schema() {
    return schema;
  }

  /** The codec of column {@code i}. */
  public IcebergCodec codec(int i) {
    return codecs.get(i);
  }

  /** Properties recording the CQL type of every column, for table properties or Parquet file metadata. */
  public Map<String, String> properties() {
    Map<String, String> properties = new LinkedHashMap<>();
    for (CqlColumn column : columns) {
      properties.put(TYPE_PROPERTY_PREFIX + column.name(), column.cqlType());
    }
    return properties;
  }

  /**
   * Converts one row of driver Java values (one per column, in order) to an Iceberg record.
   *
   * @throws IllegalArgumentException if the number of values is not the number of columns
   */
  public Record toRecord(Object[] cqlValues) {
    checkArity(cqlValues.length);
    Record record = template.copy();
    for (int i = 0; i < cqlValues.length; i++) {
      record.set(i, codecs.get(i).toIceberg(cqlValues[i]));
    }
    return record;
  }

  /** Converts an Iceberg record of this schema back to driver Java values, one per column, in order. */
  public Object[] toCqlValues(Record record) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = codecs.get(i).toCql(record.getField(columns.get(i).name()));
    }
    return values;
  }

  private void checkArity(int n) {
    if (n != columns.size()) {
      throw new IllegalArgumentException(
          String.format("Invalid row: %s values (must be %s, one per column)", n, columns.size()));
    }
  }
}
