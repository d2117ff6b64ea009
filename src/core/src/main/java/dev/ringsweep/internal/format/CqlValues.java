package dev.ringsweep.internal.format;

import com.datastax.oss.driver.api.core.data.GettableByIndex;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Helpers on driver Java values shared by the format codecs (text here, Iceberg in the Iceberg module). */
public final class CqlValues {

  private CqlValues() {}

  /**
   * The inet of a literal address.
   *
   * @throws IllegalArgumentException naming the literal if it is not an address
   */
  public static InetAddress inet(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(String.format("Invalid inet value: '%s'", literal), e);
    }
  }

  /**
   * Component {@code i} of a {@link TupleValue} or field {@code i} of a {@link UdtValue}, null when it is null. Not
   * {@code getObject(i)} alone: the driver's collection codecs decode a null as an empty collection, so a tuple
   * {@code (1, null)} of a {@code frozen<list<int>>} would come back {@code (1, [])}.
   */
  public static Object component(Object value, int i) {
    GettableByIndex g = (GettableByIndex) value;
    return g.getBytesUnsafe(i) == null ? null : g.getObject(i);
  }

  /** A copy of a {@link TupleValue} or {@link UdtValue} with component {@code i} set. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object withComponent(Object value, int i, Object component) {
    if (value instanceof TupleValue t) {
      TypeCodec codec = t.codecRegistry().codecFor(t.getType().getComponentTypes().get(i));
      return t.set(i, component, codec);
    }
    UdtValue u = (UdtValue) value;
    TypeCodec codec = u.codecRegistry().codecFor(u.getType().getFieldTypes().get(i));
    return u.set(i, component, codec);
  }
}
