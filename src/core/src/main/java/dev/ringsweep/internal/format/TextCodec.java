package dev.ringsweep.internal.format;

import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.data.CqlVector;
import com.datastax.oss.driver.api.core.type.CustomType;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.VectorType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The JSON and plain-text form of the values of one CQL type, both ways, lossless: used for JSON lines (a JSON value
 * per column), for CSV cells (the text form) and for map keys in JSON objects (the text form).
 *
 * <p>JSON: integers, varint, decimal, float and double as JSON numbers (NaN and infinities as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}), booleans as JSON booleans, blob as base64, timestamp as
 * ISO-8601 instant ({@code 2024-05-01T12:00:00.123Z}), date as {@code 2024-05-01}, time as
 * {@code 12:00:00.123456789}, duration in CQL form ({@code 1mo2d3h4m5s6ms7us8ns}), uuid and inet as text; list, set
 * and vector as arrays, map as an object whose keys are the keys' text form, tuple as an array, UDT as an object.
 * The text form of a scalar is its plain text (the JSON string's content, or the number's text); that of a
 * collection, tuple or UDT is its JSON text.
 *
 * <p>To read numbers exactly, parse with {@link #objectMapper()} (decimals as {@code BigDecimal}).
 */
public abstract class TextCodec {

  private static final JsonFactory JSON = new JsonFactory();
  // Jackson's default read limits (numbers of 1,000 digits, strings of 20 M characters, names of 50,000) are for
  // untrusted web input: a varint or decimal of more digits, a text or blob cell that large, or a map key that long
  // (map keys are JSON names), is a value Cassandra holds and export writes, and must import back rather than become
  // a bad record.
  private static final ObjectMapper MAPPER =
      new ObjectMapper(JsonFactory.builder().streamReadConstraints(readConstraints()).build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // Text after the value is an error, not ignored: two JSON lines run together ({"k": 1}{"k": 2}, files
          // joined without a final newline) would otherwise import the first row and silently drop the second.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  /**
   * No limit on numbers, strings and names. The name limit is set only where Jackson has one (2.16 and later): Spark
   * 3.5 runs this on its Jackson 2.15, which has neither the limit nor the method.
   */
  private static StreamReadConstraints readConstraints() {
    StreamReadConstraints.Builder builder = StreamReadConstraints.builder()
        .maxNumberLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE);
    try {
      builder = (StreamReadConstraints.Builder) StreamReadConstraints.Builder.class
          .getMethod("maxNameLength", int.class).invoke(builder, Integer.MAX_VALUE);
    } catch (NoSuchMethodException e) {
      // Jackson 2.15: no name limit to lift.
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot lift Jackson's name length limit", e);
    }
    return builder.build();
  }

  private final DataType cqlType;
  private final boolean scalar;

  /** A scalar's text form is its plain text; a container's is its JSON text. */
  public TextCodec(DataType cqlType, boolean scalar) {
    this.cqlType = cqlType;
    this.scalar = scalar;
  }

  /** The codec of a CQL type. */
  public static TextCodec of(DataType cqlType) {
    Objects.requireNonNull(cqlType, "cqlType");
    return build(cqlType);
  }

  /** An object mapper that reads JSON numbers exactly (floating-point as {@code BigDecimal}), for {@link #read}. */
  public static ObjectMapper objectMapper() {
    return MAPPER.copy();
  }

  /** The CQL type this codec converts. */
  public DataType cqlType() {
    return cqlType;
  }

  /** Writes a driver Java value (or null) as one JSON value. */
  public final void write(JsonGenerator out, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else {
      writeValue(out, value);
    }
  }

  /** Reads a JSON value back to the driver Java value; JSON null (or a missing node) is null. */
  public final Object read(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : readValue(node);
  }

  /** The text form of a non-null value: what a CSV cell or a JSON map key holds. */
  public final String toText(Object value) {
    Objects.requireNonNull(value, "value");
    if (scalar) {
      // Straight to the text: a JSON generator per cell (and parsing its string back) cost most of a CSV export.
      return plainText(value);
    }
    return jsonText(value);
  }

  /**
   * The text form of a non-null value the long way: its JSON text, unquoted for a scalar written as a JSON string.
   * What {@link #toText} returns for every value ({@code TextCodecTest} checks that both agree).
   */
  final String jsonText(Object value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      writeValue(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String json = text.toString();
    if (!scalar || !json.startsWith("\"")) {
      return json;
    }
    try {
      return MAPPER.readTree(json).textValue();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Unreadable JSON written for " + cqlType.asCql(true, true), e);
    }
  }

  /**
   * The text form of a non-null scalar: the JSON string's content, or the JSON number's or boolean's text, exactly
   * as {@link #jsonText} gives it. Scalars override it; a container never calls it.
   */
  String plainText(Object value) {
    return jsonText(value);
  }

  /**
   * Reads a text form back to the driver Java value.
   *
   * @throws IllegalArgumentException if the text is not a value of this type
   */
  public final Object fromText(String text) {
    Objects.requireNonNull(text, "text");
    if (scalar) {
      // Every scalar reader accepts its value as a JSON string too.
      return readValue(TextNode.valueOf(text));
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      IllegalArgumentException invalid = invalid(text);
      invalid.initCause(e);
      throw invalid;
    }
    if (node == null || node.isMissingNode()) {
      throw invalid("'" + text + "'");
    }
    return readValue(node);
  }

  abstract void writeValue(JsonGenerator out, Object value) throws IOException;

  abstract Object readValue(JsonNode node);

  public IllegalArgumentException invalid(Object value) {
    return new IllegalArgumentException(
        String.format("Invalid %s value: %s", cqlType.asCql(true, true), value));
  }

  private static TextCodec build(DataType t) {
    if (t.equals(DataTypes.ASCII) || t.equals(DataTypes.TEXT)) {
      return Scalars.string(t, v -> (String) v, s -> s);
    }
    if (t.equals(DataTypes.TINYINT)) {
      return Scalars.integer(t, v -> ((Byte) v).longValue(), n -> (byte) Scalars.exact(n, Byte.MIN_VALUE,
          Byte.MAX_VALUE));
    }
    if (t.equals(DataTypes.SMALLINT)) {
      return Scalars.integer(t, v -> ((Short) v).longValue(), n -> (short) Scalars.exact(n, Short.MIN_VALUE,
          Short.MAX_VALUE));
    }
    if (t.equals(DataTypes.INT)) {
      return Scalars.integer(t, v -> ((Integer) v).longValue(), n -> (int) Scalars.exact(n, Integer.MIN_VALUE,
          Integer.MAX_VALUE));
    }
    if (t.equals(DataTypes.BIGINT) || t.equals(DataTypes.COUNTER)) {
      return Scalars.integer(t, v -> (Long) v, n -> Scalars.exact(n, Long.MIN_VALUE, Long.MAX_VALUE));
    }
    if (t.equals(DataTypes.VARINT)) {
      return Scalars.integer(t, v -> v, n -> n);
    }
    if (t.equals(DataTypes.DECIMAL)) {
      return Scalars.decimal(t);
    }
    if (t.equals(DataTypes.FLOAT)) {
      return Scalars.floating(t, v -> ((Float) v).doubleValue(), Float.class);
    }
    if (t.equals(DataTypes.DOUBLE)) {
      return Scalars.floating(t, v -> (Double) v, Double.class);
    }
    if (t.equals(DataTypes.BOOLEAN)) {
      return Scalars.bool(t);
    }
    if (t.equals(DataTypes.BLOB) || (t instanceof CustomType && !(t instanceof VectorType))) {
      return Scalars.string(
          t,
          v -> {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
          },
          s -> ByteBuffer.wrap(Base64.getDecoder().decode(s)));
    }
    if (t.equals(DataTypes.UUID) || t.equals(DataTypes.TIMEUUID)) {
      return Scalars.string(t, Object::toString, UUID::fromString);
    }
    if (t.equals(DataTypes.TIMESTAMP)) {
      return Scalars.string(t, Object::toString, Instant::parse);
    }
    if (t.equals(DataTypes.DATE)) {
      return Scalars.string(t, Object::toString, LocalDate::parse);
    }
    if (t.equals(DataTypes.TIME)) {
      return Scalars.string(t, Object::toString, LocalTime::parse);
    }
    if (t.equals(DataTypes.DURATION)) {
      // CqlDuration prints a zero duration as "", which it cannot parse back.
      return Scalars.string(t, v -> v.toString().isEmpty() ? "0s" : v.toString(), CqlDuration::from);
    }
    if (t.equals(DataTypes.INET)) {
      return Scalars.string(t, v -> ((InetAddress) v).getHostAddress(), CqlValues::inet);
    }
    if (t instanceof ListType list) {
      return new Containers.Sequence(t, build(list.getElementType()), ArrayList::new);
    }
    if (t instanceof SetType set) {
      return new Containers.Sequence(t, build(set.getElementType()), LinkedHashSet::new);
    }
    if (t instanceof VectorType vector) {
      return new Containers.Sequence(t, build(vector.getElementType()), TextCodec::vector);
    }
    if (t instanceof MapType map) {
      return new Containers.MapCodec(map, build(map.getKeyType()), build(map.getValueType()));
    }
    if (t instanceof TupleType tuple) {
      List<TextCodec> components = new ArrayList<>();
      tuple.getComponentTypes().forEach(c -> components.add(build(c)));
      return new Containers.TupleCodec(tuple, components);
    }
    if (t instanceof UserDefinedType udt) {
      List<TextCodec> fields = new ArrayList<>();
      udt.getFieldTypes().forEach(c -> fields.add(build(c)));
      List<String> names = new ArrayList<>();
      udt.getFieldNames().forEach(n -> names.add(n.asInternal()));
      return new Containers.UdtCodec(udt, names, fields);
    }
    throw new IllegalArgumentException(String.format("Unsupported CQL type: %s", t.asCql(true, true)));
  }

  /**
   * A vector of {@code values}, built through a raw list: ScyllaDB's fork of the driver (4.18.0.x, profile
   * {@code scylla-driver}) only takes numbers in a {@code CqlVector}, the Apache driver any element type, and this
   * compiles against both (ScyllaDB's vectors hold floats only).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object vector(List<Object> values) {
    return CqlVector.newInstance((List) values);
  }
}
