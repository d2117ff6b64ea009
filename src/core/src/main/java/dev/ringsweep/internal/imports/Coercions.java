package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The conversions between scalar CQL types that an import allows when the source's type is not the target's: none
 * loses information silently. Integers convert among themselves (and to decimal), checked against the target's range
 * value by value; float widens to double; ascii to text, and text to ascii when every character is ASCII; timeuuid to
 * uuid, and uuid to timeuuid when it is a version 1 UUID.
 */
public final class Coercions {

  private static final Set<DataType> INTEGERS = Set.of(DataTypes.TINYINT, DataTypes.SMALLINT, DataTypes.INT,
      DataTypes.BIGINT, DataTypes.COUNTER, DataTypes.VARINT);

  private Coercions() {}

  /**
   * The conversion of values of scalar type {@code from} to scalar type {@code to}, or null if none is allowed. The
   * conversion throws {@link IllegalArgumentException} for a value the target type cannot hold.
   */
  public static UnaryOperator<Object> between(DataType from, DataType to) {
    if (from.equals(to)) {
      return v -> v;
    }
    if (INTEGERS.contains(from) && INTEGERS.contains(to)) {
      return v -> integer(big(v), to);
    }
    if (INTEGERS.contains(from) && to.equals(DataTypes.DECIMAL)) {
      return v -> new BigDecimal(big(v));
    }
    if (from.equals(DataTypes.FLOAT) && to.equals(DataTypes.DOUBLE)) {
      return v -> ((Float) v).doubleValue();
    }
    if (from.equals(DataTypes.ASCII) && to.equals(DataTypes.TEXT)) {
      return v -> v;
    }
    if (from.equals(DataTypes.TEXT) && to.equals(DataTypes.ASCII)) {
      return Coercions::ascii;
    }
    if (from.equals(DataTypes.TIMEUUID) && to.equals(DataTypes.UUID)) {
      return v -> v;
    }
    if (from.equals(DataTypes.UUID) && to.equals(DataTypes.TIMEUUID)) {
      return Coercions::timeuuid;
    }
    return null;
  }

  private static BigInteger big(Object v) {
    return v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
  }

  private static Object integer(BigInteger n, DataType to) {
    if (to.equals(DataTypes.VARINT)) {
      return n;
    }
    long min;
    long max;
    if (to.equals(DataTypes.TINYINT)) {
      min = Byte.MIN_VALUE;
      max = Byte.MAX_VALUE;
    } else if (to.equals(DataTypes.SMALLINT)) {
      min = Short.MIN_VALUE;
      max = Short.MAX_VALUE;
    } else if (to.equals(DataTypes.INT)) {
      min = Integer.MIN_VALUE;
      max = Integer.MAX_VALUE;
    } else {
      min = Long.MIN_VALUE;
      max = Long.MAX_VALUE;
    }
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException(String.format("Invalid %s value: %s (out of range [%s, %s])",
          CqlTypes.text(to), n, min, max));
    }
    long v = n.longValue();
    if (to.equals(DataTypes.TINYINT)) {
      return (byte) v;
    }
    if (to.equals(DataTypes.SMALLINT)) {
      return (short) v;
    }
    if (to.equals(DataTypes.INT)) {
      return (int) v;
    }
    return v;
  }

  private static Object ascii(Object v) {
    String s = (String) v;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        throw new IllegalArgumentException(String.format(
            "Invalid ascii value: '%s' (character %s at %s is not ASCII)", s, (int) s.charAt(i), i));
      }
    }
    return s;
  }

  private static Object timeuuid(Object v) {
    UUID u = (UUID) v;
    if (u.version() != 1) {
      throw new IllegalArgumentException(
          String.format("Invalid timeuuid value: %s (version %s, must be 1)", u, u.version()));
    }
    return u;
  }
}
