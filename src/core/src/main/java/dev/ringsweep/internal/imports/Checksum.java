package dev.ringsweep.internal.imports;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.CustomType;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.MapType;
import com.datastax.oss.driver.api.core.type.SetType;
import com.datastax.oss.driver.api.core.type.TupleType;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.type.VectorType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import dev.ringsweep.internal.format.CqlValues;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * An order-independent 64-bit checksum of rows of driver values: each row hashes its values in column order, and the
 * rows' hashes are summed (mod 2^64), so the order in which rows are written or read back does not matter. A scalar
 * hashes its CQL serialized bytes (what the server stores); lists, vectors, tuples and UDTs hash their elements in
 * order; sets and maps hash theirs regardless of order (Cassandra returns them sorted, sources may not). Null and
 * an empty collection differ (a frozen empty collection is a value); read values back with {@code isNull} first.
 */
final class Checksum {

  private static final long NULL = 0x6a09e667f3bcc909L;

  private Checksum() {}

  /** The hash of one row: {@code values[i]} of type {@code types.get(i)}. */
  static long row(Object[] values, List<DataType> types) {
    long h = 0x9e3779b97f4a7c15L;
    for (int i = 0; i < values.length; i++) {
      h = h * 31 + value(values[i], types.get(i));
    }
    return mix(h);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static long value(Object v, DataType type) {
    if (v == null) {
      return NULL;
    }
    if (type instanceof ListType list) {
      return ordered((Iterable<?>) v, list.getElementType());
    }
    if (type instanceof VectorType vector) {
      return ordered((Iterable<?>) v, vector.getElementType());
    }
    if (type instanceof SetType set) {
      long sum = 0;
      for (Object e : (Iterable<?>) v) {
        sum += mix(value(e, set.getElementType()));
      }
      return mix(sum ^ 0x5e7L);
    }
    if (type instanceof MapType map) {
      long sum = 0;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        sum += mix(value(e.getKey(), map.getKeyType()) * 31 + value(e.getValue(), map.getValueType()));
      }
      return mix(sum ^ 0x3a9L);
    }
    if (type instanceof TupleType tuple) {
      long h = 0x779L;
      for (int i = 0; i < tuple.getComponentTypes().size(); i++) {
        h = h * 31 + value(CqlValues.component(v, i), tuple.getComponentTypes().get(i));
      }
      return mix(h);
    }
    if (type instanceof UserDefinedType udt) {
      long h = 0x0d7L;
      for (int i = 0; i < udt.getFieldTypes().size(); i++) {
        h = h * 31 + value(CqlValues.component(v, i), udt.getFieldTypes().get(i));
      }
      return mix(h);
    }
    ByteBuffer bytes;
    if (type instanceof CustomType) {
      bytes = ((ByteBuffer) v).duplicate();
    } else {
      TypeCodec codec = CodecRegistry.DEFAULT.codecFor(type);
      bytes = codec.encode(v, ProtocolVersion.DEFAULT);
    }
    return bytes == null ? NULL : bytes(bytes);
  }

  private static long ordered(Iterable<?> elements, DataType type) {
    long h = 0x11L;
    for (Object e : elements) {
      h = h * 31 + value(e, type);
    }
    return mix(h);
  }

  /** FNV-1a over the bytes, finished with {@link #mix}. */
  private static long bytes(ByteBuffer b) {
    long h = 0xcbf29ce484222325L;
    for (int i = b.position(); i < b.limit(); i++) {
      h = (h ^ (b.get(i) & 0xff)) * 0x100000001b3L;
    }
    return mix(h ^ b.remaining());
  }

  /** MurmurHash3's 64-bit finalizer. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
