package dev.ringsweep.internal.iceberg;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.internal.format.TextCodec;
import dev.ringsweep.internal.imports.Coercions;
import dev.ringsweep.internal.imports.Conversions;
import dev.ringsweep.internal.imports.Conversions.Resolved;
import dev.ringsweep.internal.imports.CqlTypes;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFormat;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The raw values of Iceberg tables and Parquet files: Iceberg generic values. With a recorded CQL type equal to the
 * target's (frozen or not) the target's {@link IcebergCodec} reads the value exactly; a different recorded scalar
 * type goes through an allowed {@link Coercions coercion}; without a recorded type an Iceberg value of the shape the
 * target's codec expects is read by it, any other primitive through its natural CQL type. Anything else is
 * incompatible.
 */
public final class IcebergFormat implements SourceFormat {

  /** The one instance. */
  public static final IcebergFormat INSTANCE = new IcebergFormat();

  private IcebergFormat() {}

  /** A source column stored as {@code type}, with the CQL type export recorded for it (or null). */
  public static SourceColumn column(String name, Type type, String recordedCqlType) {
    return new SourceColumn(name, type, IcebergTypes.describe(type), recordedCqlType);
  }

  @Override
  public Resolved resolve(SourceColumn source, DataType target) {
    IcebergCodec codec = IcebergCodec.of(target, new AtomicInteger(1_000_000)::incrementAndGet);
    Type stored = (Type) source.storedType();
    String recorded = source.recordedCqlType();
    if (recorded != null) {
      if (CqlTypes.sameValues(recorded, CqlTypes.text(target))) {
        if (!IcebergTypes.sameShape(stored, codec.icebergType())) {
          return Conversions.storedAs(source, "target type " + CqlTypes.text(target),
              IcebergTypes.describe(codec.icebergType()));
        }
        return Resolved.ok(codec::toCql);
      }
      DataType from = CqlTypes.scalar(recorded);
      UnaryOperator<Object> coercion = from == null ? null : Coercions.between(from, target);
      if (coercion == null) {
        return Conversions.notConvertible(source, target);
      }
      IcebergCodec fromCodec = IcebergCodec.of(from, new AtomicInteger(1_000_000)::incrementAndGet);
      if (!IcebergTypes.sameShape(stored, fromCodec.icebergType())) {
        return Conversions.storedAs(source, "type " + CqlTypes.text(from),
            IcebergTypes.describe(fromCodec.icebergType()));
      }
      return Resolved.ok(raw -> coercion.apply(fromCodec.toCql(raw)));
    }
    if (IcebergTypes.sameShape(stored, codec.icebergType())) {
      return Resolved.ok(codec::toCql);
    }
    DataType natural = natural(stored);
    if (natural == null) {
      return Conversions.notConvertible(source, target);
    }
    if (natural.equals(DataTypes.TEXT) && CqlTypes.scalar(CqlTypes.text(target)) != null) {
      TextCodec text = TextCodec.of(target);
      return Resolved.ok(raw -> text.fromText(raw.toString()));
    }
    UnaryOperator<Object> coercion = Coercions.between(natural, target);
    if (coercion == null) {
      return Conversions.notConvertible(source, target);
    }
    return Resolved.ok(raw -> coercion.apply(naturalValue(raw)));
  }

  @Override
  public DataType companionType(SourceColumn source, DataType scalar) {
    Type stored = (Type) source.storedType();
    if (stored.isListType()) {
      return DataTypes.listOf(DataTypes.BIGINT);
    }
    return stored.typeId() == Type.TypeID.INTEGER ? DataTypes.INT : DataTypes.BIGINT;
  }

  /** Records as maps of their fields, other structs as lists, inside lists and maps too. */
  @Override
  public Object reportable(Object raw) {
    if (raw instanceof Record r) {
      Map<String, Object> fields = new LinkedHashMap<>();
      List<Types.NestedField> names = r.struct().fields();
      for (int i = 0; i < names.size(); i++) {
        fields.put(names.get(i).name(), reportable(r.get(i)));
      }
      return fields;
    }
    if (raw instanceof StructLike s) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < s.size(); i++) {
        values.add(reportable(s.get(i, Object.class)));
      }
      return values;
    }
    if (raw instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, reportable(v)));
      return out;
    }
    if (raw instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(e -> out.add(reportable(e)));
      return out;
    }
    return raw;
  }

  /** The CQL type whose values an Iceberg primitive holds most naturally, or null for nested types. */
  public static DataType natural(Type type) {
    return switch (type.typeId()) {
      case INTEGER -> DataTypes.INT;
      case LONG -> DataTypes.BIGINT;
      case FLOAT -> DataTypes.FLOAT;
      case DOUBLE -> DataTypes.DOUBLE;
      case BOOLEAN -> DataTypes.BOOLEAN;
      case STRING -> DataTypes.TEXT;
      case BINARY, FIXED -> DataTypes.BLOB;
      case UUID -> DataTypes.UUID;
      case DATE -> DataTypes.DATE;
      case TIME -> DataTypes.TIME;
      case TIMESTAMP, TIMESTAMP_NANO -> DataTypes.TIMESTAMP;
      case DECIMAL -> DataTypes.DECIMAL;
      default -> null;
    };
  }

  /**
   * Converts an Iceberg generic value of a primitive type to the driver Java value of its {@link #natural} CQL type.
   * Timestamps keep their sub-millisecond digits here; the driver drops them when it writes (CQL timestamps are
   * milliseconds), and a timestamp without zone is taken as UTC.
   */
  public static Object naturalValue(Object value) {
    if (value instanceof CharSequence s) {
      return s.toString();
    }
    if (value instanceof byte[] bytes) {
      return ByteBuffer.wrap(bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      return buffer.duplicate();
    }
    if (value instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (value instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    }
    return value;
  }

}
