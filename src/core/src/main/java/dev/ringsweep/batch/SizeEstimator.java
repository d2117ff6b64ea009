package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Estimates how many bytes a statement adds to a batch, as the server counts them against its
 * {@code batch_size_fail_threshold} (the data size of the mutations: values plus per-cell timestamps, TTLs and
 * deletion times, plus per-row liveness and deletion information).
 *
 * <p>Estimate: {@value #STATEMENT_OVERHEAD} bytes per statement, plus for each bound value its serialized length and
 * {@value #VALUE_OVERHEAD} bytes, plus {@value #ELEMENT_OVERHEAD} bytes per element of a list, set or map (each
 * element is a cell of its own). A simple statement also counts its query text, since literals are written in it.
 * The estimate errs high for typical rows; should it still be too low, the server rejects the batch, which the
 * writer then splits like any batch that fails validation.
 */
final class SizeEstimator {

  static final int STATEMENT_OVERHEAD = 48;
  static final int VALUE_OVERHEAD = 20;
  static final int ELEMENT_OVERHEAD = 32;

  private final CodecRegistry codecs;
  private final ProtocolVersion protocolVersion;

  SizeEstimator(CodecRegistry codecs, ProtocolVersion protocolVersion) {
    this.codecs = codecs;
    this.protocolVersion = protocolVersion;
  }

  long estimate(BatchableStatement<?> statement) {
    long size = STATEMENT_OVERHEAD;
    if (statement instanceof BoundStatement) {
      BoundStatement bound = (BoundStatement) statement;
      ColumnDefinitions variables = bound.getPreparedStatement().getVariableDefinitions();
      List<ByteBuffer> values = bound.getValues();
      for (int i = 0; i < values.size(); i++) {
        ByteBuffer value = values.get(i);
        size += VALUE_OVERHEAD + length(value);
        if (i < variables.size()) {
          size += (long) ELEMENT_OVERHEAD * elements(variables.get(i).getType(), value);
        }
      }
    } else if (statement instanceof SimpleStatement) {
      SimpleStatement simple = (SimpleStatement) statement;
      size += simple.getQuery().getBytes(StandardCharsets.UTF_8).length;
      for (Object value : simple.getPositionalValues()) {
        size += VALUE_OVERHEAD + encodedLength(value) + (long) ELEMENT_OVERHEAD * elements(value);
      }
      for (Object value : simple.getNamedValues().values()) {
        size += VALUE_OVERHEAD + encodedLength(value) + (long) ELEMENT_OVERHEAD * elements(value);
      }
    }
    return size;
  }

  private long encodedLength(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof ByteBuffer) {
      return ((ByteBuffer) value).remaining();
    }
    try {
      return length(codecs.codecFor(value).encode(value, protocolVersion));
    } catch (RuntimeException e) {
      // No codec for it: the driver will refuse the statement when it is sent, and the failure will be reported.
      return 0;
    }
  }

  private static long length(ByteBuffer value) {
    return value == null ? 0 : value.remaining();
  }

  /** Elements of a list, set or map value; 0 for any other value. */
  private static int elements(Object value) {
    if (value instanceof Collection) {
      return ((Collection<?>) value).size();
    }
    return value instanceof Map ? ((Map<?, ?>) value).size() : 0;
  }

  /** The native protocol's codes of list, map and set types (frozen or not). */
  private static final int LIST = 0x20;
  private static final int MAP = 0x21;
  private static final int SET = 0x22;

  /**
   * Elements of a serialized list, set or map (its first 4 bytes); 0 for any other type. The type is told by its
   * protocol code, not by {@code instanceof} checks against the driver's type interfaces: called for every bound
   * value by every import thread, those checks made the JVM's cache of a class's interfaces bounce between threads
   * (JDK-8180450), 18% of an import reader's CPU in the 2026-11-23 profile.
   */
  static int elements(DataType type, ByteBuffer value) {
    int code = type.getProtocolCode();
    boolean collection = code == LIST || code == SET || code == MAP;
    if (!collection || value == null || value.remaining() < 4) {
      return 0;
    }
    return Math.max(0, value.getInt(value.position()));
  }
}
