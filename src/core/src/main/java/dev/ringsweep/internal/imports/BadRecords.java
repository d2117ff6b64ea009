package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.type.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringsweep.internal.format.TextCodec;
import dev.ringsweep.internal.imports.SourceColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The bad-records file of an import: one JSON object per line, {@code {"source": ..., "reason": ..., "row": {...}}},
 * where {@code source} says where the row was read (split and row number), {@code reason} why it was not written,
 * and {@code row} holds its values by column (as read for a row that could not be converted, as converted for one
 * the cluster refused), or {@code "text"} the line as read when it could not even be parsed. The file is created on
 * the first bad record and appended to; thread-safe.
 */
final class BadRecords implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Path file;
  private Writer out;
  private long count;

  BadRecords(Path file) {
    this.file = file;
  }

  /**
   * Checks, before the first row is written, that bad records can be written to the file: its folder exists or can
   * be created, and the file is writable or can be created there. The file itself is created only for a first bad
   * record.
   *
   * @throws IllegalArgumentException naming the file and why it cannot be written
   */
  void checkWritable() {
    Path absolute = file.toAbsolutePath();
    Path parent = absolute.getParent();
    String problem = null;
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      problem = "its folder cannot be created: " + e;
    }
    if (problem == null) {
      if (Files.isDirectory(absolute)) {
        problem = "it is a directory";
      } else if (Files.exists(absolute) ? !Files.isWritable(absolute) : parent != null && !Files.isWritable(parent)) {
        problem = Files.exists(absolute) ? "it is not writable" : "its folder is not writable";
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(String.format(
          "Invalid bad-records file: %s (%s); choose a writable file for the rows that cannot be imported", file,
          problem));
    }
  }

  /** The file, or null if no bad record was written. */
  synchronized Path fileIfWritten() {
    return count == 0 ? null : file;
  }

  /** Records a row that was read but could not be converted or had no valid key. */
  void rawRow(String source, String reason, List<SourceColumn> columns, Object[] values, String text) {
    ObjectNode line = start(source, reason);
    if (values != null) {
      ObjectNode row = line.putObject("row");
      for (int i = 0; i < columns.size(); i++) {
        row.set(columns.get(i).name(), raw(values[i]));
      }
    }
    if (text != null) {
      line.put("text", text);
    }
    write(line);
  }

  /** Records a converted row the cluster did not write. */
  void convertedRow(String source, String reason, List<String> names, List<DataType> types, Object[] values) {
    ObjectNode line = start(source, reason);
    ObjectNode row = line.putObject("row");
    for (int i = 0; i < names.size(); i++) {
      if (values[i] == null) {
        row.putNull(names.get(i));
        continue;
      }
      String text = TextCodec.of(types.get(i)).toText(values[i]);
      JsonNode node;
      try {
        JsonNode parsed = JSON.readTree(text);
        node = parsed != null && parsed.isContainerNode() ? parsed : NODES.textNode(text);
      } catch (IOException e) {
        node = NODES.textNode(text);
      }
      row.set(names.get(i), node);
    }
    write(line);
  }

  private static ObjectNode start(String source, String reason) {
    ObjectNode line = NODES.objectNode();
    line.put("source", source);
    line.put("reason", reason);
    return line;
  }

  private synchronized void write(ObjectNode line) {
    try {
      if (out == null) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
      count++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Hands what was written so far to the operating system, so that a process killed from now on loses none of it:
   * before a checkpoint records a split with bad records as done.
   */
  synchronized void flush() {
    if (out == null) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A raw source value as JSON: text cells as strings, JSON as it was, a format's structures as their {@link
   * dev.ringsweep.internal.imports.SourceFormat#reportable} maps and lists.
   */
  static JsonNode raw(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof JsonNode node) {
      return node;
    }
    if (v instanceof CharSequence s) {
      return NODES.textNode(s.toString());
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return NODES.numberNode(((Number) v).longValue());
    }
    if (v instanceof BigInteger n) {
      return NODES.numberNode(n);
    }
    if (v instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (v instanceof Float f) {
      return Float.isFinite(f) ? NODES.numberNode(f) : NODES.textNode(f.toString());
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(d.toString());
    }
    if (v instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (v instanceof byte[] bytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (v instanceof Iterable<?> it) {
      ArrayNode a = NODES.arrayNode();
      it.forEach(e -> a.add(raw(e)));
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, val) -> o.set(String.valueOf(k), raw(val)));
      return o;
    }
    return NODES.textNode(v.toString());
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
