package dev.ringsweep.internal.format;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The {@link TextCodec}s of CQL's container types: list, set, vector, map, tuple and UDT. */
public final class Containers {

  private Containers() {}

  /** list, set and vector: a JSON array. */
  public static final class Sequence extends TextCodec {
    private final TextCodec element;
    private final Function<List<Object>, Object> rebuild;

    Sequence(DataType t, TextCodec element, Function<List<Object>, Object> rebuild) {
      super(t, false);
      this.element = element;
      this.rebuild = rebuild;
    }

    @Override
    void writeValue(JsonGenerator out, Object value) throws IOException {
      out.writeStartArray();
      for (Object e : (Iterable<?>) value) {
        element.write(out, e);
      }
      out.writeEndArray();
    }

    @Override
    Object readValue(JsonNode node) {
      if (!node.isArray()) {
        throw invalid(node);
      }
      List<Object> out = new ArrayList<>(node.size());
      for (JsonNode e : node) {
        out.add(element.read(e));
      }
      return rebuild.apply(out);
    }
  }

  /** map: a JSON object whose member names are the keys' text form. */
  public static final class MapCodec extends TextCodec {
    private final TextCodec key;
    private final TextCodec value;

    MapCodec(MapType t, TextCodec key, TextCodec value) {
      super(t, false);
      this.key = key;
      this.value = value;
    }

    @Override
    void writeValue(JsonGenerator out, Object map) throws IOException {
      out.writeStartObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) map).entrySet()) {
        out.writeFieldName(key.toText(e.getKey()));
        value.write(out, e.getValue());
      }
      out.writeEndObject();
    }

    @Override
    Object readValue(JsonNode node) {
      if (!node.isObject()) {
        throw invalid(node);
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(key.fromText(e.getKey()), value.read(e.getValue()));
      }
      return out;
    }
  }

  /** tuple: a JSON array of its components, null components as JSON null. */
  public static final class TupleCodec extends TextCodec {
    private final TupleType type;
    private final List<TextCodec> components;

    TupleCodec(TupleType type, List<TextCodec> components) {
      super(type, false);
      this.type = type;
      this.components = List.copyOf(components);
    }

    @Override
    void writeValue(JsonGenerator out, Object value) throws IOException {
      out.writeStartArray();
      for (int i = 0; i < components.size(); i++) {
        components.get(i).write(out, CqlValues.component(value, i));
      }
      out.writeEndArray();
    }

    @Override
    Object readValue(JsonNode node) {
      if (!node.isArray() || node.size() != components.size()) {
        throw invalid(node);
      }
      Object out = type.newValue();
      for (int i = 0; i < components.size(); i++) {
        out = CqlValues.withComponent(out, i, components.get(i).read(node.get(i)));
      }
      return out;
    }
  }

  /** UDT: a JSON object by field name, null fields as JSON null. */
  public static final class UdtCodec extends TextCodec {
    private final UserDefinedType type;
    private final List<String> names;
    private final List<TextCodec> fields;

    UdtCodec(UserDefinedType type, List<String> names, List<TextCodec> fields) {
      super(type, false);
      this.type = type;
      this.names = List.copyOf(names);
      this.fields = List.copyOf(fields);
    }

    @Override
    void writeValue(JsonGenerator out, Object value) throws IOException {
      out.writeStartObject();
      for (int i = 0; i < fields.size(); i++) {
        out.writeFieldName(names.get(i));
        fields.get(i).write(out, CqlValues.component(value, i));
      }
      out.writeEndObject();
    }

    @Override
    Object readValue(JsonNode node) {
      if (!node.isObject()) {
        throw invalid(node);
      }
      // A field the type does not have is an error, not dropped: the source's type is another one (a UDT of the same
      // name with other fields), and its values would be lost or land in the wrong fields.
      for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!names.contains(name)) {
          throw new IllegalArgumentException(String.format("Invalid %s value: %s (it has no field %s; its fields: "
              + "%s)", type.asCql(true, true), node, name, String.join(", ", names)));
        }
      }
      Object out = type.newValue();
      for (int i = 0; i < fields.size(); i++) {
        out = CqlValues.withComponent(out, i, fields.get(i).read(node.get(names.get(i))));
      }
      return out;
    }
  }
}
