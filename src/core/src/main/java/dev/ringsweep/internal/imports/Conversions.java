package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ringsweep.internal.format.TextCodec;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, column by column, how raw source values become driver Java values of the target column's CQL type,
 * reusing export's converters (the format's, {@link TextCodec}) in reverse. With a recorded CQL type equal to
 * the target's (frozen or not) the target's codec reads the value exactly; a different recorded scalar type goes
 * through an allowed {@link Coercions coercion}; without a recorded type an Iceberg value of the shape the target's
 * codec expects is read by it, any other primitive through its natural CQL type. Anything else is incompatible.
 */
public final class Conversions {

  private static final Logger LOG = LoggerFactory.getLogger(Conversions.class);

  /** A value conversion; it throws {@link IllegalArgumentException} (or another runtime exception) for a bad value. */
  public interface Converter {
    Object convert(Object raw);
  }

  /** A converter, or why there is none. */
  public record Resolved(Converter converter, String problem) {
    public static Resolved ok(Converter c) {
      return new Resolved(c, null);
    }

    public static Resolved incompatible(String problem) {
      return new Resolved(null, problem);
    }
  }

  private Conversions() {}

  /** How values of {@code source} convert to {@code target}. */
  public static Resolved resolve(SourceFormat format, SourceColumn source, DataType target) {
    return format.resolve(source, target);
  }

  /** How CSV cells or JSON values of {@code source} convert to {@code target}. */
  static Resolved text(TextFormat format, SourceColumn source, DataType target) {
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
    if (format == TextFormat.CSV) {
      return Resolved.ok(raw -> then.apply(codec.fromText((String) raw)));
    }
    return Resolved.ok(raw -> {
      Object v = codec.read((JsonNode) raw);
      return v == null ? null : then.apply(v);
    });
  }

  /**
   * How a {@code <column>_writetime} or {@code <column>_ttl} column converts to a {@code Long}: its values are
   * {@code bigint} / {@code int}, or lists of them for a non-frozen collection (the largest element is taken: the
   * import writes a collection with one write time and TTL, so elements that had others, or none, get that one; said
   * once per column in the log, as a warning).
   */
  public static Resolved companion(SourceFormat format, SourceColumn source, DataType scalar) {
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
    } else {
      type = format.companionType(source, scalar);
    }
    Resolved values = resolve(format, source.withoutRecordedType(), type);
    if (values.problem() != null) {
      return Resolved.incompatible(String.format("column %s: type %s is not a writetime/TTL type (bigint or int)",
          source.name(), source.describeType()));
    }
    AtomicBoolean warned = new AtomicBoolean();
    return Resolved.ok(raw -> largest(values.converter().convert(raw), source.name(), warned));
  }

  private static Long largest(Object value, String column, AtomicBoolean warned) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    Long max = null;
    boolean mixed = false;
    Object first = null;
    boolean seen = false;
    for (Object e : (Collection<?>) value) {
      if (seen && !java.util.Objects.equals(first, e)) {
        mixed = true;
      }
      if (!seen) {
        first = e;
        seen = true;
      }
      if (e != null && (max == null || ((Number) e).longValue() > max)) {
        max = ((Number) e).longValue();
      }
    }
    if (mixed && warned.compareAndSet(false, true)) {
      LOG.warn("Column {}: the elements of a collection had different values ({}); the import writes a collection "
          + "with one write time and TTL, the largest ({}), so elements that had another (or none) get it "
          + "(logged once per column)", column, value, max);
    }
    return max;
  }

  /** Whether a value is an empty non-frozen collection, which Cassandra stores as null. */
  public static boolean storedAsNull(DataType type, Object value) {
    boolean multiCell = (type instanceof ListType l && !l.isFrozen()) || (type instanceof SetType s && !s.isFrozen())
        || (type instanceof MapType m && !m.isFrozen());
    return multiCell && ((value instanceof Collection<?> c && c.isEmpty()) || (value instanceof Map<?, ?> m2
        && m2.isEmpty()));
  }

  /** The problem of a column whose source type cannot become the target's. */
  public static Resolved notConvertible(SourceColumn source, DataType target) {
    return Resolved.incompatible(String.format("column %s: source type %s cannot be converted to target type %s",
        source.name(), source.describeType(), CqlTypes.text(target)));
  }

  /** The problem of a column whose stored type is not the one its recorded or target type needs. */
  public static Resolved storedAs(SourceColumn source, String needing, String expected) {
    return Resolved.incompatible(String.format("column %s: source type %s is stored as %s, but %s needs %s",
        source.name(), source.describeType(), source.storedTypeText(), needing, expected));
  }
}
