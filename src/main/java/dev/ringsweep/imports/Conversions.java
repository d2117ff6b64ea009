package dev.ringsweep.imports;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ringsweep.format.IcebergCodec;
import dev.ringsweep.format.IcebergTypes;
import dev.ringsweep.format.TextCodec;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.iceberg.types.Type;

/**
 * Decides, column by column, how raw source values become driver Java values of the target column's CQL type,
 * reusing export's converters ({@link IcebergCodec}, {@link TextCodec}) in reverse. With a recorded CQL type equal to
 * the target's (frozen or not) the target's codec reads the value exactly; a different recorded scalar type goes
 * through an allowed {@link Coercions coercion}; without a recorded type an Iceberg value of the shape the target's
 * codec expects is read by it, any other primitive through its natural CQL type. Anything else is incompatible.
 */
final class Conversions {

  /** A value conversion; it throws {@link IllegalArgumentException} (or another runtime exception) for a bad value. */
  interface Converter {
    Object convert(Object raw);
  }

  /** A converter, or why there is none. */
  record Resolved(Converter converter, String problem) {
    static Resolved ok(Converter c) {
      return new Resolved(c, null);
    }

    static Resolved incompatible(String problem) {
      return new Resolved(null, problem);
    }
  }

  private Conversions() {}

  /** How values of {@code source} convert to {@code target}. */
  static Resolved resolve(SourceFormat format, SourceColumn source, DataType target) {
    return switch (format) {
      case ICEBERG -> iceberg(source, target);
      case CSV, JSON -> text(format, source, target);
    };
  }

  private static Resolved iceberg(SourceColumn source, DataType target) {
    IcebergCodec codec = IcebergCodec.of(target, new AtomicInteger(1_000_000)::incrementAndGet);
    Type stored = source.icebergType();
    String recorded = source.recordedCqlType();
    if (recorded != null) {
      if (CqlTypes.sameValues(recorded, CqlTypes.text(target))) {
        if (!IcebergTypes.sameShape(stored, codec.icebergType())) {
          return storedAs(source, "target type " + CqlTypes.text(target), codec.icebergType());
        }
        return Resolved.ok(codec::toCql);
      }
      DataType from = CqlTypes.scalar(recorded);
      UnaryOperator<Object> coercion = from == null ? null : Coercions.between(from, target);
      if (coercion == null) {
        return notConvertible(source, target);
      }
      IcebergCodec fromCodec = IcebergCodec.of(from, new AtomicInteger(1_000_000)::incrementAndGet);
      if (!IcebergTypes.sameShape(stored, fromCodec.icebergType())) {
        return storedAs(source, "type " + CqlTypes.text(from), fromCodec.icebergType());
      }
      return Resolved.ok(raw -> coercion.apply(fromCodec.toCql(raw)));
    }
    if (IcebergTypes.sameShape(stored, codec.icebergType())) {
      return Resolved.ok(codec::toCql);
    }
    DataType natural = Coercions.natural(stored);
    if (natural == null) {
      return notConvertible(source, target);
    }
    if (natural.equals(DataTypes.TEXT) && CqlTypes.scalar(CqlTypes.text(target)) != null) {
      TextCodec text = TextCodec.of(target);
      return Resolved.ok(raw -> text.fromText(raw.toString()));
    }
    UnaryOperator<Object> coercion = Coercions.between(natural, target);
    if (coercion == null) {
      return notConvertible(source, target);
    }
    return Resolved.ok(raw -> coercion.apply(Coercions.naturalValue(raw)));
  }

  private static Resolved text(SourceFormat format, SourceColumn source, DataType target) {
    String recorded = source.recordedCqlType();
    DataType from = target;
    UnaryOperator<Object> coercion = v -> v;
    if (recorded != null && !CqlTypes.sameValues(recorded, CqlTypes.text(target))) {
      from = CqlTypes.scalar(recorded);
      coercion = from == null ? null : Coercions.between(from, target);
      if (coercion == null) {
        return notConvertible(source, target);
      }
    }
    TextCodec codec = TextCodec.of(from);
    UnaryOperator<Object> then = coercion;
    if (format == SourceFormat.CSV) {
      return Resolved.ok(raw -> then.apply(codec.fromText((String) raw)));
    }
    return Resolved.ok(raw -> {
      Object v = codec.read((JsonNode) raw);
      return v == null ? null : then.apply(v);
    });
  }

  /**
   * How a {@code <column>_writetime} or {@code <column>_ttl} column converts to a {@code Long}: its values are
   * {@code bigint} / {@code int}, or lists of them for a non-frozen collection (the largest element is taken).
   */
  static Resolved companion(SourceFormat format, SourceColumn source, DataType scalar) {
    DataType type = scalar;
    String recorded = source.recordedCqlType();
    if (recorded != null) {
      String n = CqlTypes.normalize(recorded);
      DataType element = CqlTypes.scalar(n.startsWith("list<") ? n.substring(5, n.length() - 1) : n);
      if (element == null || !(element.equals(DataTypes.BIGINT) || element.equals(DataTypes.INT))) {
        return Resolved.incompatible(String.format("column %s: type %s is not a writetime/TTL type (bigint or int)",
            source.name(), recorded));
      }
      type = n.startsWith("list<") ? DataTypes.listOf(element) : element;
    } else if (source.icebergType() != null && source.icebergType().isListType()) {
      type = DataTypes.listOf(DataTypes.BIGINT);
    } else if (format == SourceFormat.ICEBERG) {
      type = source.icebergType().typeId() == Type.TypeID.INTEGER ? DataTypes.INT : DataTypes.BIGINT;
    }
    Resolved values = resolve(format, new SourceColumn(source.name(), source.icebergType(), null), type);
    if (values.problem() != null) {
      return Resolved.incompatible(String.format("column %s: type %s is not a writetime/TTL type (bigint or int)",
          source.name(), source.describeType()));
    }
    return Resolved.ok(raw -> largest(values.converter().convert(raw)));
  }

  private static Long largest(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    Long max = null;
    for (Object e : (Collection<?>) value) {
      if (e != null && (max == null || ((Number) e).longValue() > max)) {
        max = ((Number) e).longValue();
      }
    }
    return max;
  }

  /** Whether a value is an empty non-frozen collection, which Cassandra stores as null. */
  static boolean storedAsNull(DataType type, Object value) {
    boolean multiCell = (type instanceof ListType l && !l.isFrozen()) || (type instanceof SetType s && !s.isFrozen())
        || (type instanceof MapType m && !m.isFrozen());
    return multiCell && ((value instanceof Collection<?> c && c.isEmpty()) || (value instanceof Map<?, ?> m2
        && m2.isEmpty()));
  }

  private static Resolved notConvertible(SourceColumn source, DataType target) {
    return Resolved.incompatible(String.format("column %s: source type %s cannot be converted to target type %s",
        source.name(), source.describeType(), CqlTypes.text(target)));
  }

  private static Resolved storedAs(SourceColumn source, String needing, Type expected) {
    return Resolved.incompatible(String.format("column %s: source type %s is stored as %s, but %s needs %s",
        source.name(), source.describeType(), CqlTypes.describe(source.icebergType()), needing,
        CqlTypes.describe(expected)));
  }
}
