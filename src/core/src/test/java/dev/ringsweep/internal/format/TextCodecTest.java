package dev.ringsweep.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextCodecTest {

  private final UserDefinedType[] udts = AllTypes.detachedUdts();
  private final List<CqlColumn> columns = AllTypes.columns(udts[0], udts[1]);
  private final List<Object[]> rows = AllTypes.rows(udts[0], udts[1], AllTypes.tupleType());
  private final ObjectMapper mapper = TextCodec.objectMapper();

  @Test
  void should_round_trip_every_type_through_json() throws IOException {
    for (Object[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        TextCodec codec = TextCodec.of(columns.get(i).type());
        StringWriter json = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
          codec.write(g, row[i]);
        }
        JsonNode node = mapper.readTree(json.toString());
        assertThat(codec.read(node)).as("row %s column %s: %s", row[0], columns.get(i).name(), json)
            .isEqualTo(row[i]);
      }
    }
  }

  @Test
  void should_round_trip_every_non_null_value_through_its_text_form() {
    for (Object[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        if (row[i] == null) {
          continue;
        }
        TextCodec codec = TextCodec.of(columns.get(i).type());
        String text = codec.toText(row[i]);
        assertThat(codec.fromText(text)).as("row %s column %s: %s", row[0], columns.get(i).name(), text)
            .isEqualTo(row[i]);
      }
    }
  }

  @Test
  void should_write_readable_json_for_common_types() {
    assertThat(TextCodec.of(DataTypes.TEXT).toText("a,b")).isEqualTo("a,b");
    assertThat(TextCodec.of(DataTypes.DECIMAL).toText(new BigDecimal("1.50"))).isEqualTo("1.50");
    assertThat(TextCodec.of(DataTypes.listOf(DataTypes.TEXT)).toText(List.of("x", "y"))).isEqualTo("[\"x\",\"y\"]");
    assertThat(TextCodec.of(DataTypes.mapOf(DataTypes.INT, DataTypes.TEXT)).toText(AllTypes.linkedMap(1, "a")))
        .isEqualTo("{\"1\":\"a\"}");
    assertThat(TextCodec.of(DataTypes.FLOAT).toText(Float.NaN)).isEqualTo("NaN");
    assertThat(TextCodec.of(DataTypes.BLOB).toText(java.nio.ByteBuffer.wrap(new byte[] {1, 2})))
        .isEqualTo("AQI=");
  }

  @Test
  void should_reject_text_that_is_not_a_value_of_the_type() {
    assertThatThrownBy(() -> TextCodec.of(DataTypes.INT).fromText("3000000000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid int value: '3000000000'");
    assertThatThrownBy(() -> TextCodec.of(DataTypes.DATE).fromText("2024-13-01"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid date value: '2024-13-01'");
  }
}
