package dev.ringsweep.internal.format;

import com.datastax.oss.driver.api.core.type.CustomType;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Function;

/** The {@link TextCodec}s of CQL's non-container types. */
public final class Scalars {

  private Scalars() {}

  /** A type written as a JSON string. */
  public static TextCodec string(DataType t, Function<Object, String> encode, Function<String, Object> decode) {
    boolean acceptsEmpty = t.equals(DataTypes.TEXT) || t.equals(DataTypes.ASCII) || t.equals(DataTypes.BLOB)
        || t instanceof CustomType;
    return new TextCodec(t, true) {
      @Override
      void writeValue(JsonGenerator out, Object value) throws IOException {
        out.writeString(encode.apply(value));
      }

      @Override
      String plainText(Object value) {
        return encode.apply(value);
      }

      @Override
      Object readValue(JsonNode node) {
        if (!node.isTextual()) {
          throw invalid(describe(node));
        }
        if (node.textValue().isEmpty() && !acceptsEmpty) {
          throw invalid("''");
        }
        try {
          return decode.apply(node.textValue());
        } catch (RuntimeException e) {
          IllegalArgumentException invalid = invalid(describe(node));
          invalid.initCause(e);
          throw invalid;
        }
      }
    };
  }

  /** An integer type (tinyint to bigint, counter, varint) written as a JSON integer. */
  public static TextCodec integer(DataType t, Function<Object, Object> toNumber, Function<BigInteger, Object> fromNumber) {
    return new TextCodec(t, true) {
      @Override
      void writeValue(JsonGenerator out, Object value) throws IOException {
        Object n = toNumber.apply(value);
        if (n instanceof Long l) {
          out.writeNumber(l);
        } else {
          out.writeNumber((BigInteger) n);
        }
      }

      @Override
      String plainText(Object value) {
        // Jackson writes a long and a BigInteger with their toString.
        return toNumber.apply(value).toString();
      }

      @Override
      Object readValue(JsonNode node) {
        try {
          BigInteger n;
          if (node.isIntegralNumber()) {
            n = node.bigIntegerValue();
          } else if (node.isTextual()) {
            n = new BigInteger(node.textValue());
          } else {
            throw invalid(describe(node));
          }
          return fromNumber.apply(n);
        } catch (ArithmeticException | NumberFormatException e) {
          IllegalArgumentException invalid = invalid(describe(node));
          invalid.initCause(e);
          throw invalid;
        }
      }
    };
  }

  /** A JSON value as an error message shows it: text in single quotes, anything else as JSON. */
  public static String describe(JsonNode node) {
    return node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
  }

  /** The value of {@code n} if it lies in [min, max]. */
  public static long exact(BigInteger n, long min, long max) {
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new ArithmeticException(String.format("%s is out of range [%s, %s]", n, min, max));
    }
    return n.longValue();
  }

  /** decimal, written as a JSON number keeping its scale ({@code 1.50}, {@code 1E+3}). */
  public static TextCodec decimal(DataType t) {
    return new TextCodec(t, true) {
      @Override
      void writeValue(JsonGenerator out, Object value) throws IOException {
        out.writeNumber((BigDecimal) value);
      }

      @Override
      String plainText(Object value) {
        // Jackson writes a BigDecimal with its toString (scientific notation kept: WRITE_BIGDECIMAL_AS_PLAIN is off).
        return value.toString();
      }

      @Override
      Object readValue(JsonNode node) {
        try {
          if (node.isNumber()) {
            return node.isBigDecimal() ? node.decimalValue() : new BigDecimal(node.asText());
          }
          if (node.isTextual()) {
            return new BigDecimal(node.textValue());
          }
        } catch (NumberFormatException e) {
          IllegalArgumentException invalid = invalid(describe(node));
          invalid.initCause(e);
          throw invalid;
        }
        throw invalid(describe(node));
      }
    };
  }

  /**
   * float and double, written as JSON numbers in Java's shortest exact form; NaN, the infinities and negative zero
   * (which JSON numbers cannot carry exactly) as JSON strings.
   */
  public static TextCodec floating(DataType t, Function<Object, Double> toDouble, Class<?> javaType) {
    boolean isFloat = javaType == Float.class;
    return new TextCodec(t, true) {
      @Override
      void writeValue(JsonGenerator out, Object value) throws IOException {
        double d = toDouble.apply(value);
        boolean negativeZero = d == 0 && Double.doubleToRawLongBits(d) != 0;
        if (Double.isNaN(d) || Double.isInfinite(d) || negativeZero) {
          out.writeString(value.toString());
        } else if (isFloat) {
          out.writeNumber((Float) value);
        } else {
          out.writeNumber(d);
        }
      }

      @Override
      String plainText(Object value) {
        // Jackson writes a float and a double with Float.toString and Double.toString; the special values are
        // written as strings of their toString: the same text either way.
        return value.toString();
      }

      @Override
      Object readValue(JsonNode node) {
        String text;
        if (node.isTextual()) {
          text = node.textValue();
        } else if (node.isBigDecimal()) {
          text = node.decimalValue().toString();
        } else if (node.isNumber()) {
          text = node.asText();
        } else {
          throw invalid(describe(node));
        }
        try {
          return isFloat ? (Object) Float.parseFloat(text) : (Object) Double.parseDouble(text);
        } catch (NumberFormatException e) {
          IllegalArgumentException invalid = invalid(describe(node));
          invalid.initCause(e);
          throw invalid;
        }
      }
    };
  }

  /** boolean, written as a JSON boolean. */
  public static TextCodec bool(DataType t) {
    return new TextCodec(t, true) {
      @Override
      void writeValue(JsonGenerator out, Object value) throws IOException {
        out.writeBoolean((Boolean) value);
      }

      @Override
      String plainText(Object value) {
        return ((Boolean) value) ? "true" : "false";
      }

      @Override
      Object readValue(JsonNode node) {
        if (node.isBoolean()) {
          return node.booleanValue();
        }
        if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
          return Boolean.parseBoolean(node.textValue());
        }
        throw invalid(describe(node));
      }
    };
  }
}
