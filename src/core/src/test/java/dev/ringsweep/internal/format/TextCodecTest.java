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
  void should_keep_a_null_collection_inside_a_tuple_or_udt_null_not_empty() throws IOException {
    var tuple = DataTypes.tupleOf(DataTypes.INT, DataTypes.frozenListOf(DataTypes.INT));
    var withNull = tuple.newValue(1, null);
    var withEmpty = tuple.newValue(1, List.of());
    // The driver decodes both as an empty list: only the bytes tell them apart.
    assertThat(withNull.getBytesUnsafe(1)).isNull();
    assertThat(withEmpty.getBytesUnsafe(1)).isNotNull();
    TextCodec codec = TextCodec.of(tuple);

    assertThat(codec.toText(withNull)).isEqualTo("[1,null]");
    assertThat(codec.toText(withEmpty)).isEqualTo("[1,[]]");
    assertThat(((com.datastax.oss.driver.api.core.data.TupleValue) codec.fromText("[1,null]")).getBytesUnsafe(1))
        .isNull();
    StringWriter json = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(json)) {
      codec.write(g, withNull);
    }
    assertThat(json).hasToString("[1,null]");

    UserDefinedType address = udts[0];
    var noPhones = address.newValue("1 Main St", 12345, null);
    assertThat(TextCodec.of(address).toText(noPhones)).endsWith("null}");
  }

  @Test
  void should_read_back_numbers_and_strings_past_jacksons_default_limits() throws IOException {
    String digits = "9".repeat(5_000);
    String text = "x".repeat(21_000_000);
    JsonNode row = mapper.readTree("{\"v\": " + digits + ", \"d\": " + digits + ".5, \"t\": \"" + text + "\"}");

    assertThat(TextCodec.of(DataTypes.VARINT).read(row.get("v"))).isEqualTo(new java.math.BigInteger(digits));
    assertThat(TextCodec.of(DataTypes.DECIMAL).read(row.get("d"))).isEqualTo(new BigDecimal(digits + ".5"));
    assertThat(((String) TextCodec.of(DataTypes.TEXT).read(row.get("t")))).hasSize(text.length());
    // A map key is a JSON name: past 50,000 characters too.
    String key = "k".repeat(60_000);
    assertThat(TextCodec.of(DataTypes.frozenMapOf(DataTypes.TEXT, DataTypes.INT)).fromText("{\"" + key + "\": 1}"))
        .isEqualTo(java.util.Map.of(key, 1));
    // Inside a collection cell of a CSV file, parsed from its text form.
    assertThat(TextCodec.of(DataTypes.frozenListOf(DataTypes.VARINT)).fromText("[" + digits + "]"))
        .isEqualTo(List.of(new java.math.BigInteger(digits)));
  }

  @Test
  void should_keep_an_ipv4_mapped_ipv6_inet_apart_from_the_ipv4_one() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
    java.net.InetAddress v6 = CqlValues.inet6(java.nio.ByteBuffer.wrap(mapped));
    TextCodec codec = TextCodec.of(DataTypes.INET);

    String text = codec.toText(v6);
    assertThat(text).isEqualTo("0:0:0:0:0:ffff:c000:201");
    assertThat(((java.net.InetAddress) codec.fromText(text)).getAddress()).isEqualTo(mapped);
    assertThat(((java.net.InetAddress) codec.fromText("::ffff:192.0.2.1")).getAddress()).isEqualTo(mapped);
    assertThat(((java.net.InetAddress) codec.fromText("192.0.2.1")).getAddress()).hasSize(4);
    // What the JDK alone does with the same literal: the IPv4 address.
    assertThat(java.net.InetAddress.getByName(text).getAddress()).hasSize(4);
  }

  @Test
  void should_refuse_a_udt_value_with_a_field_its_type_does_not_have() {
    UserDefinedType address = udts[0];
    TextCodec codec = TextCodec.of(address);

    assertThatThrownBy(() -> codec.fromText("{\"street\": \"1 Main St\", \"zipcode\": 12345}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it has no field zipcode; its fields: street, zip, tags");
    // A field left out is null, as export writes a null field.
    assertThat(codec.toText(codec.fromText("{\"street\": \"1 Main St\"}"))).contains("\"zip\":null");
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
  void should_give_the_same_text_form_as_the_json_generator_for_every_value() {
    for (Object[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        if (row[i] != null) {
          TextCodec codec = TextCodec.of(columns.get(i).type());
          assertThat(codec.toText(row[i])).as("row %s column %s", row[0], columns.get(i).name())
              .isEqualTo(codec.jsonText(row[i]));
        }
      }
    }
    // Floating-point, integers and decimals at their edges: the shortest exact forms, exponents, signs.
    List<Object> doubles = List.of(0.0, -0.0, 1.0, -1.5, 0.1, 1e-5, 1e-3, 1e7, 1.0e21, 123456789.125, Double.MIN_VALUE,
        Double.MAX_VALUE, Double.MIN_NORMAL, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        2.2250738585072014E-308, 9007199254740993.0, 1.7976931348623157E308);
    List<Object> floats = List.of(0.0f, -0.0f, 1.0f, 0.1f, 1e-5f, 1e-3f, 1e7f, 3.4028235E38f, Float.MIN_VALUE,
        Float.MIN_NORMAL, 16777217f, 1.1754942E-38f, Float.NaN, Float.NEGATIVE_INFINITY, 2.0E-45f);
    List<Object> decimals = List.of(new BigDecimal("1.50"), new BigDecimal("1E+3"), new BigDecimal("-0.000001"),
        new BigDecimal("123456789012345678901234567890.123456789"), BigDecimal.ZERO, new BigDecimal("0E-10"));
    java.util.Map<com.datastax.oss.driver.api.core.type.DataType, List<Object>> edges = java.util.Map.of(
        DataTypes.DOUBLE, doubles, DataTypes.FLOAT, floats, DataTypes.DECIMAL, decimals,
        DataTypes.BIGINT, List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L),
        DataTypes.VARINT, List.of(new java.math.BigInteger("-123456789012345678901234567890"), java.math.BigInteger.ZERO),
        DataTypes.TEXT, List.of("", "a\"b\\c\u0000\u001f\u2028é😀", "\r\n,"),
        DataTypes.BOOLEAN, List.of(true, false));
    edges.forEach((type, values) -> {
      TextCodec codec = TextCodec.of(type);
      for (Object v : values) {
        assertThat(codec.toText(v)).as("%s %s", type, v).isEqualTo(codec.jsonText(v));
        assertThat(codec.fromText(codec.toText(v))).as("%s %s", type, v).isEqualTo(v);
      }
    });
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
