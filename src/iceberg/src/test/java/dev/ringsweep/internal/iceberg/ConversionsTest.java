package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.format.TextCodec;
import dev.ringsweep.internal.imports.Conversions;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFormat;
import dev.ringsweep.internal.imports.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;



class ConversionsTest {

  private static final UserDefinedType[] UDTS = AllTypes.detachedUdts();
  private static final List<CqlColumn> COLUMNS = AllTypes.columns(UDTS[0], UDTS[1]);
  private static final List<Object[]> ROWS = AllTypes.rows(UDTS[0], UDTS[1], AllTypes.tupleType());

  private static Conversions.Converter converter(SourceFormat format, SourceColumn source, DataType target) {
    Conversions.Resolved resolved = Conversions.resolve(format, source, target);
    assertThat(resolved.problem()).isNull();
    return resolved.converter();
  }

  private static String problem(SourceFormat format, SourceColumn source, DataType target) {
    Conversions.Resolved resolved = Conversions.resolve(format, source, target);
    assertThat(resolved.converter()).isNull();
    return resolved.problem();
  }

  @Test
  void should_convert_every_exported_iceberg_value_back_exactly_with_the_recorded_types() {
    IcebergRowMapping mapping = IcebergRowMapping.of(COLUMNS);
    for (Object[] row : ROWS) {
      Record record = mapping.toRecord(row);
      for (int i = 0; i < COLUMNS.size(); i++) {
        CqlColumn c = COLUMNS.get(i);
        SourceColumn source = IcebergFormat.column(c.name(), mapping.schema().columns().get(i).type(), c.cqlType());
        Object raw = record.get(i);
        Object back = raw == null ? null : converter(IcebergFormat.INSTANCE, source, c.type()).convert(raw);
        assertThat(back).as("row %s column %s", row[0], c.name()).isEqualTo(row[i]);
      }
    }
  }

  @Test
  void should_convert_every_exported_csv_cell_and_json_value_back_exactly() throws IOException {
    for (Object[] row : ROWS) {
      for (int i = 0; i < COLUMNS.size(); i++) {
        CqlColumn c = COLUMNS.get(i);
        if (row[i] == null) {
          continue;
        }
        SourceColumn source = SourceColumn.text(c.name(), c.cqlType());
        TextCodec codec = TextCodec.of(c.type());
        assertThat(converter(TextFormat.CSV, source, c.type()).convert(codec.toText(row[i])))
            .as("CSV row %s column %s", row[0], c.name()).isEqualTo(row[i]);
        StringWriter json = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
          codec.write(g, row[i]);
        }
        JsonNode node = TextCodec.objectMapper().readTree(json.toString());
        assertThat(converter(TextFormat.JSON, source, c.type()).convert(node))
            .as("JSON row %s column %s", row[0], c.name()).isEqualTo(row[i]);
      }
    }
  }

  @Test
  void should_coerce_a_recorded_scalar_type_to_a_compatible_target_type() {
    SourceColumn recordedInt = IcebergFormat.column("v", Types.IntegerType.get(), "int");
    assertThat(converter(IcebergFormat.INSTANCE, recordedInt, DataTypes.BIGINT).convert(5)).isEqualTo(5L);
    assertThatThrownBy(() -> converter(IcebergFormat.INSTANCE, recordedInt, DataTypes.TINYINT).convert(1000))
        .hasMessage("Invalid tinyint value: 1000 (out of range [-128, 127])");
    SourceColumn csvInt = SourceColumn.text("v", "int");
    assertThat(converter(TextFormat.CSV, csvInt, DataTypes.VARINT).convert("-7"))
        .isEqualTo(java.math.BigInteger.valueOf(-7));
  }

  @Test
  void should_name_the_column_and_both_types_when_a_type_is_incompatible() {
    assertThat(problem(IcebergFormat.INSTANCE, IcebergFormat.column("v", Types.StringType.get(), "text"), DataTypes.INT))
        .isEqualTo("column v: source type text cannot be converted to target type int");
    assertThat(problem(TextFormat.JSON, SourceColumn.text("l", "list<int>"), DataTypes.setOf(DataTypes.INT)))
        .isEqualTo("column l: source type list<int> cannot be converted to target type set<int>");
    Type otherStruct = Types.StructType.of(Types.NestedField.optional(1, "nickname", Types.StringType.get()));
    assertThat(problem(IcebergFormat.INSTANCE, IcebergFormat.column("p", otherStruct, "frozen<person>"),
        UDTS[1].copy(true)))
        .isEqualTo("column p: source type frozen<person> is stored as struct<nickname: string>, but target type "
            + "frozen<ks.person> needs struct<name: string, home: struct<street: string, zip: int, tags: "
            + "list<string>>, scores: list<int>>");
  }

  @Test
  void should_read_files_without_recorded_types_by_their_natural_types() {
    assertThat(converter(IcebergFormat.INSTANCE, IcebergFormat.column("n", Types.LongType.get(), null), DataTypes.BIGINT)
        .convert(9L)).isEqualTo(9L);
    assertThat(converter(IcebergFormat.INSTANCE, IcebergFormat.column("ip", Types.StringType.get(), null), DataTypes.INET)
        .convert("10.0.0.1")).isEqualTo(inet("10.0.0.1"));
    assertThat(converter(IcebergFormat.INSTANCE, IcebergFormat.column("t", Types.TimestampType.withoutZone(), null),
        DataTypes.TIMESTAMP).convert(LocalDateTime.parse("2024-01-02T03:04:05.006")))
        .isEqualTo(Instant.parse("2024-01-02T03:04:05.006Z"));
    assertThat(converter(IcebergFormat.INSTANCE, IcebergFormat.column("d", Types.DecimalType.of(10, 2), null),
        DataTypes.DECIMAL).convert(new BigDecimal("12.30"))).isEqualTo(new BigDecimal("12.30"));
    assertThat(converter(IcebergFormat.INSTANCE, IcebergFormat.column("s", Types.StringType.get(), null), DataTypes.INT)
        .convert("42")).isEqualTo(42);
    assertThatThrownBy(() -> converter(IcebergFormat.INSTANCE, IcebergFormat.column("b", Types.IntegerType.get(), null),
        DataTypes.TINYINT).convert(200)).hasMessageContaining("200");
    assertThat(problem(IcebergFormat.INSTANCE, IcebergFormat.column("l", Types.ListType.ofOptional(1,
        Types.LongType.get()), null), DataTypes.listOf(DataTypes.INT)))
        .isEqualTo("column l: source type list<long> (no CQL type recorded) cannot be converted to target type "
            + "list<int>");
  }

  @Test
  void should_read_writetime_and_ttl_columns_as_longs_taking_the_largest_of_a_list() {
    SourceColumn plain = IcebergFormat.column("a_writetime", Types.LongType.get(), "bigint");
    assertThat(Conversions.companion(IcebergFormat.INSTANCE, plain, DataTypes.BIGINT).converter().convert(12L))
        .isEqualTo(12L);
    SourceColumn list = SourceColumn.text("l_writetime", "list<bigint>");
    JsonNode node = TextCodec.objectMapper().valueToTree(List.of(5, 9, 7));
    assertThat(Conversions.companion(TextFormat.JSON, list, DataTypes.BIGINT).converter().convert(node))
        .isEqualTo(9L);
    assertThat(Conversions.companion(TextFormat.CSV, SourceColumn.text("a_ttl", "text"), DataTypes.INT)
        .problem()).isEqualTo("column a_ttl: type text is not a writetime/TTL type (bigint or int)");
  }

  @Test
  void should_treat_an_empty_non_frozen_collection_as_null_as_cassandra_stores_it() {
    assertThat(Conversions.storedAsNull(DataTypes.listOf(DataTypes.INT), List.of())).isTrue();
    assertThat(Conversions.storedAsNull(DataTypes.frozenListOf(DataTypes.INT), List.of())).isFalse();
    assertThat(Conversions.storedAsNull(DataTypes.mapOf(DataTypes.INT, DataTypes.INT), java.util.Map.of()))
        .isTrue();
    assertThat(Conversions.storedAsNull(DataTypes.listOf(DataTypes.INT), List.of(1))).isFalse();
  }

  private static InetAddress inet(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void should_map_iceberg_primitives_to_their_natural_cql_types() {
    assertThat(IcebergFormat.natural(Types.LongType.get())).isEqualTo(DataTypes.BIGINT);
    assertThat(IcebergFormat.natural(Types.FixedType.ofLength(4))).isEqualTo(DataTypes.BLOB);
    assertThat(IcebergFormat.natural(Types.TimestampType.withoutZone())).isEqualTo(DataTypes.TIMESTAMP);
    assertThat(IcebergFormat.natural(Types.DecimalType.of(10, 2))).isEqualTo(DataTypes.DECIMAL);
    assertThat(IcebergFormat.natural(Types.ListType.ofOptional(1, Types.IntegerType.get()))).isNull();
    assertThat(IcebergFormat.naturalValue(LocalDateTime.parse("2024-05-01T12:00:00.123456")))
        .isEqualTo(Instant.parse("2024-05-01T12:00:00.123456Z"));
    assertThat(IcebergFormat.naturalValue(new byte[] {1, 2})).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2}));
  }
}
