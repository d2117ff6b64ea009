package dev.ringsweep.internal.iceberg;

import com.datastax.oss.driver.api.core.data.CqlDuration;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.CustomType;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.VectorType;
import dev.ringsweep.internal.format.CqlValues;
import dev.ringsweep.internal.format.TextCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg type of one CQL type and the two value conversions between them: driver Java value to Iceberg generic
 * value ({@link #toIceberg}) and back ({@link #toCql}), lossless for every CQL type. The mapping is documented in
 * {@code docs/type-mapping.md}; where Iceberg has no exact type the value is encoded (varint and decimal as their
 * decimal text, time as nanoseconds of the day, inet as the address literal, duration as a struct), and the CQL type
 * text is recorded beside it by {@link IcebergRowMapping}. No Iceberg type that Spark refuses ({@code time}) is used.
 *
 * <p>Values on the CQL side are what the driver's default codecs produce and accept ({@code Row.getObject}): e.g.
 * {@code Byte} for tinyint, {@code Instant} for timestamp, {@code CqlVector} for vector.
 */
public final class IcebergCodec {

  private final DataType cqlType;
  private final Type icebergType;
  private final Function<Object, Object> toIceberg;
  private final Function<Object, Object> toCql;

  private IcebergCodec(
      DataType cqlType, Type icebergType, Function<Object, Object> toIceberg, Function<Object, Object> toCql) {
    this.cqlType = cqlType;
    this.icebergType = icebergType;
    this.toIceberg = toIceberg;
    this.toCql = toCql;
  }

  /**
   * The codec of a CQL type; nested Iceberg field ids (of list elements, map keys and values, struct fields) are
   * drawn from {@code ids}.
   */
  public static IcebergCodec of(DataType cqlType, IntSupplier ids) {
    Objects.requireNonNull(cqlType, "cqlType");
    Objects.requireNonNull(ids, "ids");
    return build(cqlType, ids);
  }

  /** The CQL type this codec converts. */
  public DataType cqlType() {
    return cqlType;
  }

  /** The Iceberg type values are converted to. */
  public Type icebergType() {
    return icebergType;
  }

  /** Converts a driver Java value to the Iceberg generic value; null stays null. */
  public Object toIceberg(Object cqlValue) {
    return cqlValue == null ? null : toIceberg.apply(cqlValue);
  }

  /** Converts an Iceberg generic value back to the driver Java value of the CQL type; null stays null. */
  public Object toCql(Object icebergValue) {
    return icebergValue == null ? null : toCql.apply(icebergValue);
  }

  private static IcebergCodec build(DataType t, IntSupplier ids) {
    if (t.equals(DataTypes.ASCII) || t.equals(DataTypes.TEXT)) {
      return new IcebergCodec(t, Types.StringType.get(), v -> v, Object::toString);
    }
    if (t.equals(DataTypes.TINYINT)) {
      return new IcebergCodec(
          t, Types.IntegerType.get(), v -> ((Byte) v).intValue(), v -> (byte) narrow((Integer) v, Byte.MIN_VALUE,
              Byte.MAX_VALUE, "tinyint"));
    }
    if (t.equals(DataTypes.SMALLINT)) {
      return new IcebergCodec(
          t, Types.IntegerType.get(), v -> ((Short) v).intValue(), v -> (short) narrow((Integer) v, Short.MIN_VALUE,
              Short.MAX_VALUE, "smallint"));
    }
    if (t.equals(DataTypes.INT)) {
      return new IcebergCodec(t, Types.IntegerType.get(), v -> v, v -> v);
    }
    if (t.equals(DataTypes.BIGINT) || t.equals(DataTypes.COUNTER)) {
      return new IcebergCodec(t, Types.LongType.get(), v -> v, v -> v);
    }
    if (t.equals(DataTypes.FLOAT)) {
      return new IcebergCodec(t, Types.FloatType.get(), v -> v, v -> v);
    }
    if (t.equals(DataTypes.DOUBLE)) {
      return new IcebergCodec(t, Types.DoubleType.get(), v -> v, v -> v);
    }
    if (t.equals(DataTypes.BOOLEAN)) {
      return new IcebergCodec(t, Types.BooleanType.get(), v -> v, v -> v);
    }
    if (t.equals(DataTypes.VARINT)) {
      return new IcebergCodec(t, Types.StringType.get(), Object::toString, v -> new BigInteger(v.toString()));
    }
    if (t.equals(DataTypes.DECIMAL)) {
      // BigDecimal.toString keeps the scale (1E+3 stays scale -3); toPlainString would not.
      return new IcebergCodec(t, Types.StringType.get(), Object::toString, v -> new BigDecimal(v.toString()));
    }
    if (t.equals(DataTypes.BLOB)) {
      return new IcebergCodec(t, Types.BinaryType.get(), v -> ((ByteBuffer) v).duplicate(), IcebergCodec::buffer);
    }
    if (t.equals(DataTypes.UUID) || t.equals(DataTypes.TIMEUUID)) {
      return new IcebergCodec(t, Types.UUIDType.get(), v -> v, v -> v);
    }
    if (t.equals(DataTypes.TIMESTAMP)) {
      return new IcebergCodec(
          t,
          Types.TimestampType.withZone(),
          v -> timestamp((Instant) v),
          v -> ((OffsetDateTime) v).toInstant());
    }
    if (t.equals(DataTypes.DATE)) {
      return new IcebergCodec(t, Types.DateType.get(), v -> v, v -> v);
    }
    if (t.equals(DataTypes.TIME)) {
      return new IcebergCodec(
          t, Types.LongType.get(), v -> ((LocalTime) v).toNanoOfDay(), v -> LocalTime.ofNanoOfDay((Long) v));
    }
    if (t.equals(DataTypes.INET)) {
      return new IcebergCodec(
          t, Types.StringType.get(), v -> ((InetAddress) v).getHostAddress(), v -> CqlValues.inet(v.toString()));
    }
    if (t.equals(DataTypes.DURATION)) {
      return duration(t, ids);
    }
    if (t instanceof ListType list) {
      return collection(t, list.getElementType(), ids, ArrayList::new);
    }
    if (t instanceof SetType set) {
      return collection(t, set.getElementType(), ids, LinkedHashSet::new);
    }
    if (t instanceof VectorType vector) {
      return collection(t, vector.getElementType(), ids, TextCodec::vector); // compiles with ScyllaDB's driver too
    }
    if (t instanceof MapType map) {
      return map(map, ids);
    }
    if (t instanceof TupleType tuple) {
      return tuple(tuple, ids);
    }
    if (t instanceof UserDefinedType udt) {
      return udt(udt, ids);
    }
    if (t instanceof CustomType) {
      // Opaque server-side type: its serialized bytes, as the driver's default codec returns them.
      return new IcebergCodec(t, Types.BinaryType.get(), v -> ((ByteBuffer) v).duplicate(), IcebergCodec::buffer);
    }
    throw new IllegalArgumentException(String.format("Unsupported CQL type: %s", t.asCql(true, true)));
  }

  private static IcebergCodec duration(DataType t, IntSupplier ids) {
    Types.StructType struct =
        Types.StructType.of(
            Types.NestedField.required(ids.getAsInt(), "months", Types.IntegerType.get()),
            Types.NestedField.required(ids.getAsInt(), "days", Types.IntegerType.get()),
            Types.NestedField.required(ids.getAsInt(), "nanoseconds", Types.LongType.get()));
    return new IcebergCodec(
        t,
        struct,
        v -> {
          CqlDuration d = (CqlDuration) v;
          Record r = GenericRecord.create(struct);
          r.set(0, d.getMonths());
          r.set(1, d.getDays());
          r.set(2, d.getNanoseconds());
          return r;
        },
        v -> {
          Record r = (Record) v;
          return CqlDuration.newInstance((Integer) r.get(0), (Integer) r.get(1), (Long) r.get(2));
        });
  }

  private static IcebergCodec collection(
      DataType t, DataType elementType, IntSupplier ids, Function<List<Object>, Object> rebuild) {
    int elementId = ids.getAsInt();
    IcebergCodec element = build(elementType, ids);
    return new IcebergCodec(
        t,
        Types.ListType.ofOptional(elementId, element.icebergType),
        v -> {
          List<Object> out = new ArrayList<>();
          for (Object e : (Iterable<?>) v) {
            out.add(element.toIceberg(e));
          }
          return out;
        },
        v -> {
          List<Object> out = new ArrayList<>(((Collection<?>) v).size());
          for (Object e : (Collection<?>) v) {
            out.add(element.toCql(e));
          }
          return rebuild.apply(out);
        });
  }

  private static IcebergCodec map(MapType t, IntSupplier ids) {
    int keyId = ids.getAsInt();
    int valueId = ids.getAsInt();
    IcebergCodec key = build(t.getKeyType(), ids);
    IcebergCodec value = build(t.getValueType(), ids);
    return new IcebergCodec(
        t,
        Types.MapType.ofOptional(keyId, valueId, key.icebergType, value.icebergType),
        v -> convertMap((Map<?, ?>) v, key::toIceberg, value::toIceberg),
        v -> convertMap((Map<?, ?>) v, key::toCql, value::toCql));
  }

  private static Map<Object, Object> convertMap(
      Map<?, ?> in, Function<Object, Object> keys, Function<Object, Object> values) {
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : in.entrySet()) {
      out.put(keys.apply(e.getKey()), values.apply(e.getValue()));
    }
    return out;
  }

  private static IcebergCodec tuple(TupleType t, IntSupplier ids) {
    List<DataType> types = t.getComponentTypes();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      names.add("f" + i);
    }
    return struct(t, types, names, ids, () -> t.newValue());
  }

  private static IcebergCodec udt(UserDefinedType t, IntSupplier ids) {
    List<String> names = new ArrayList<>();
    t.getFieldNames().forEach(n -> names.add(n.asInternal()));
    return struct(t, t.getFieldTypes(), names, ids, () -> t.newValue());
  }

  /** Tuples and UDTs: a struct of optional fields, converted position by position. */
  private static IcebergCodec struct(
      DataType t,
      List<DataType> types,
      List<String> names,
      IntSupplier ids,
      java.util.function.Supplier<Object> newValue) {
    List<Types.NestedField> fields = new ArrayList<>();
    List<IcebergCodec> codecs = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      int id = ids.getAsInt();
      IcebergCodec codec = build(types.get(i), ids);
      codecs.add(codec);
      fields.add(Types.NestedField.optional(id, names.get(i), codec.icebergType, types.get(i).asCql(true, true)));
    }
    Types.StructType struct = Types.StructType.of(fields);
    return new IcebergCodec(
        t,
        struct,
        v -> {
          Record r = GenericRecord.create(struct);
          for (int i = 0; i < codecs.size(); i++) {
            r.set(i, codecs.get(i).toIceberg(CqlValues.component(v, i)));
          }
          return r;
        },
        v -> {
          Record r = (Record) v;
          Object out = newValue.get();
          for (int i = 0; i < codecs.size(); i++) {
            out = CqlValues.withComponent(out, i, codecs.get(i).toCql(r.get(i)));
          }
          return out;
        });
  }

  /** Iceberg stores microseconds in a long: about ±292,000 years around 1970. */
  private static OffsetDateTime timestamp(Instant instant) {
    try {
      Math.multiplyExact(instant.toEpochMilli(), 1000L);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          String.format("Invalid timestamp value: %s (outside what Iceberg's microseconds can hold)", instant), e);
    }
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static int narrow(int v, int min, int max, String type) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(String.format("Invalid %s value: %s (must be in [%s, %s])", type, v, min,
          max));
    }
    return v;
  }

  private static ByteBuffer buffer(Object v) {
    return v instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : ((ByteBuffer) v).duplicate();
  }
}
