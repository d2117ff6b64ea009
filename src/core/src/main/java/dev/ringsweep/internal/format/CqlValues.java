package dev.ringsweep.internal.format;

import com.datastax.oss.driver.api.core.data.GettableByIndex;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import java.net.Inet4Address;
import java.net.Inet6Address;
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
    InetAddress address;
    try {
      address = InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(String.format("Invalid inet value: '%s'", literal), e);
    }
    // The JDK reads an IPv4-mapped IPv6 literal (::ffff:192.0.2.1) as the IPv4 address, 4 bytes: Cassandra holds the
    // 16 bytes, a value of its own (as a key, another row than 192.0.2.1).
    if (address instanceof Inet4Address v4 && literal.indexOf(':') >= 0) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
      return inet6(mapped);
    }
    return address;
  }

  /**
   * The inet of 16 bytes as an {@link Inet6Address}, an IPv4-mapped one included ({@code InetAddress.getByAddress},
   * and so the driver's codec, makes that an IPv4 address of 4 bytes).
   */
  public static InetAddress inet6(java.nio.ByteBuffer bytes) {
    byte[] address = new byte[bytes.remaining()];
    bytes.duplicate().get(address);
    return inet6(address);
  }

  /**
   * Value {@code i} of {@code row} of CQL type {@code type} as export reads it: null when its bytes are null (not an
   * empty collection), an inet of 16 bytes as IPv6 (see {@link #inet6(java.nio.ByteBuffer)}), else the driver's.
   */
  public static Object cell(GettableByIndex row, int i, com.datastax.oss.driver.api.core.type.DataType type) {
    java.nio.ByteBuffer bytes = row.getBytesUnsafe(i);
    if (bytes == null) {
      return null;
    }
    return type.equals(com.datastax.oss.driver.api.core.type.DataTypes.INET) && bytes.remaining() == 16
        ? inet6(bytes) : row.getObject(i);
  }

  /** As {@link #inet6(java.nio.ByteBuffer)}. */
  public static InetAddress inet6(byte[] bytes) {
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Invalid inet value: " + bytes.length + " bytes (an IPv6 address has 16)", e);
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
