package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.util.Locale;
import java.util.Map;

/** CQL type texts as export records them, compared without {@code frozen<>}. */
public final class CqlTypes {

  private static final Map<String, DataType> SCALARS = Map.ofEntries(
      Map.entry("ascii", DataTypes.ASCII), Map.entry("text", DataTypes.TEXT), Map.entry("varchar", DataTypes.TEXT),
      Map.entry("tinyint", DataTypes.TINYINT), Map.entry("smallint", DataTypes.SMALLINT),
      Map.entry("int", DataTypes.INT), Map.entry("bigint", DataTypes.BIGINT), Map.entry("counter", DataTypes.COUNTER),
      Map.entry("varint", DataTypes.VARINT), Map.entry("decimal", DataTypes.DECIMAL),
      Map.entry("float", DataTypes.FLOAT), Map.entry("double", DataTypes.DOUBLE),
      Map.entry("boolean", DataTypes.BOOLEAN), Map.entry("blob", DataTypes.BLOB), Map.entry("uuid", DataTypes.UUID),
      Map.entry("timeuuid", DataTypes.TIMEUUID), Map.entry("timestamp", DataTypes.TIMESTAMP),
      Map.entry("date", DataTypes.DATE), Map.entry("time", DataTypes.TIME),
      Map.entry("duration", DataTypes.DURATION), Map.entry("inet", DataTypes.INET));

  private CqlTypes() {}

  /** The CQL text of a type as export records it, e.g. {@code frozen<list<int>>}. */
  public static String text(DataType type) {
    return type.asCql(true, true);
  }

  /**
   * The comparable form of a type text: without {@code frozen<>} markers (frozen or not, values convert the same),
   * white space and the keyspace of user-defined types (a table restored into another keyspace uses that
   * keyspace's types of the same name; their fields are checked separately: by the Iceberg schema's struct, and for
   * text sources value by value, a field the target's type lacks making a bad record), lower case, {@code varchar} as
   * {@code text}.
   */
  public static String normalize(String cqlType) {
    StringBuilder out = new StringBuilder();
    java.util.ArrayDeque<Boolean> frozen = new java.util.ArrayDeque<>();
    String s = cqlType.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (s.startsWith("frozen<", i)) {
        frozen.push(true);
        i += "frozen<".length() - 1;
      } else if (c == '<') {
        frozen.push(false);
        out.append(c);
      } else if (c == '>') {
        if (frozen.isEmpty() || !frozen.pop()) {
          out.append(c);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString()
        .replaceAll("(?<![a-z0-9_\"])(\"[^\"]*\"|[a-z0-9_]+)\\.", "")
        .replaceAll("(?<![a-z0-9_])varchar(?![a-z0-9_])", "text");
  }

  /** Whether two type texts denote the same values. */
  public static boolean sameValues(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  /** The scalar CQL type a text names ({@code int}, {@code text}...), or null for any other type. */
  public static DataType scalar(String cqlType) {
    return SCALARS.get(normalize(cqlType));
  }
}
