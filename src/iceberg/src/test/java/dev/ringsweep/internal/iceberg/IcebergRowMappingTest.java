package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.format.CqlColumn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Files;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;



class IcebergRowMappingTest {

  private final UserDefinedType[] udts = AllTypes.detachedUdts();
  private final List<CqlColumn> columns = AllTypes.columns(udts[0], udts[1]);
  private final List<Object[]> rows = AllTypes.rows(udts[0], udts[1], AllTypes.tupleType());
  private final IcebergRowMapping mapping = IcebergRowMapping.of(columns);

  @Test
  void should_round_trip_every_type_value_by_value_in_memory() {
    for (Object[] row : rows) {
      Object[] back = mapping.toCqlValues(mapping.toRecord(row));
      for (int i = 0; i < row.length; i++) {
        assertThat(back[i]).as("row %s column %s", row[0], columns.get(i).name()).isEqualTo(row[i]);
      }
    }
  }

  @Test
  void should_round_trip_every_type_through_a_parquet_file(@TempDir Path dir) throws IOException {
    java.io.File file = dir.resolve("all.parquet").toFile();
    try (FileAppender<Record> out =
        Parquet.write(Files.localOutput(file))
            .schema(mapping.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .build()) {
      for (Object[] row : rows) {
        out.add(mapping.toRecord(row));
      }
    }
    List<Object[]> back = new ArrayList<>();
    try (CloseableIterable<Record> in =
        Parquet.read(Files.localInput(file))
            .project(mapping.schema())
            .createReaderFunc(s -> GenericParquetReaders.buildReader(mapping.schema(), s))
            .build()) {
      in.forEach(r -> back.add(mapping.toCqlValues(r)));
    }
    assertThat(back).hasSameSizeAs(rows);
    for (int r = 0; r < rows.size(); r++) {
      for (int i = 0; i < columns.size(); i++) {
        assertThat(back.get(r)[i]).as("row %s column %s", rows.get(r)[0], columns.get(i).name())
            .isEqualTo(rows.get(r)[i]);
      }
    }
  }

  @Test
  void should_use_no_type_that_spark_refuses() {
    List<Type> all = new ArrayList<>();
    TypeUtil.indexById(mapping.schema().asStruct()).values().forEach(f -> all.add(f.type()));
    assertThat(all).extracting(Type::typeId).doesNotContain(Type.TypeID.TIME, Type.TypeID.FIXED);
  }

  @Test
  void should_record_the_cql_type_of_every_column() {
    Schema schema = mapping.schema();
    for (CqlColumn column : columns) {
      assertThat(schema.findField(column.name()).doc()).isEqualTo(column.cqlType());
      assertThat(mapping.properties())
          .containsEntry(IcebergRowMapping.TYPE_PROPERTY_PREFIX + column.name(), column.cqlType());
    }
    assertThat(mapping.properties()).containsEntry("ringsweep.cql.type.c_nested_map",
        "map<int, frozen<map<text, frozen<set<uuid>>>>>");
  }

  @Test
  void should_map_lossless_encodings_to_the_documented_iceberg_types() {
    Schema schema = mapping.schema();
    assertThat(schema.findType("c_varint")).isEqualTo(Types.StringType.get());
    assertThat(schema.findType("c_decimal")).isEqualTo(Types.StringType.get());
    assertThat(schema.findType("c_time")).isEqualTo(Types.LongType.get());
    assertThat(schema.findType("c_inet")).isEqualTo(Types.StringType.get());
    assertThat(schema.findType("c_tinyint")).isEqualTo(Types.IntegerType.get());
    assertThat(schema.findType("c_timestamp")).isEqualTo(Types.TimestampType.withZone());
    assertThat(schema.findType("c_uuid")).isEqualTo(Types.UUIDType.get());
    assertThat(schema.findType("c_duration").asStructType().fields())
        .extracting(Types.NestedField::name)
        .containsExactly("months", "days", "nanoseconds");
    assertThat(schema.findType("c_tuple").asStructType().fields())
        .extracting(Types.NestedField::name)
        .containsExactly("f0", "f1", "f2");
    assertThat(schema.findType("c_udt").asStructType().field("home").type().asStructType().fields())
        .extracting(Types.NestedField::name)
        .containsExactly("street", "zip", "tags");
    assertThat(schema.findType("c_vector").isListType()).isTrue();
  }

  @Test
  void should_map_counter_to_long() {
    IcebergRowMapping counter = IcebergRowMapping.of(List.of(new CqlColumn("n", DataTypes.COUNTER)));
    assertThat(counter.schema().findType("n")).isEqualTo(Types.LongType.get());
    assertThat(counter.toCqlValues(counter.toRecord(new Object[] {Long.MIN_VALUE}))).containsExactly(Long.MIN_VALUE);
    assertThat(counter.properties()).containsEntry("ringsweep.cql.type.n", "counter");
  }

  @Test
  void should_reject_duplicate_column_names() {
    assertThatThrownBy(
            () -> IcebergRowMapping.of(
                List.of(new CqlColumn("a", DataTypes.INT), new CqlColumn("a", DataTypes.TEXT))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Duplicate column name: a");
  }

  @Test
  void should_reject_a_row_of_the_wrong_size() {
    assertThatThrownBy(() -> mapping.toRecord(new Object[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid row: 1 values (must be %s, one per column)", columns.size());
  }

  @Test
  void should_reject_an_out_of_range_tinyint_coming_back() {
    IcebergCodec tinyint = IcebergCodec.of(DataTypes.TINYINT, () -> 100);
    assertThatThrownBy(() -> tinyint.toCql(128))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid tinyint value: 128 (must be in [-128, 127])");
  }
}
