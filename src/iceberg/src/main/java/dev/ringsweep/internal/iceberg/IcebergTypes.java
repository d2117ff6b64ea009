package dev.ringsweep.internal.iceberg;

import java.util.List;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Comparisons of Iceberg types shared by export (an existing table) and import (a source's schema). */
public final class IcebergTypes {

  private IcebergTypes() {}

  /** Whether two Iceberg types have the same shape: type ids, primitive types and struct field names (ids ignored). */
  public static boolean sameShape(Type a, Type b) {
    if (a.typeId() != b.typeId()) {
      return false;
    }
    if (a.isPrimitiveType()) {
      return a.equals(b);
    }
    if (a.isListType()) {
      return sameShape(a.asListType().elementType(), b.asListType().elementType());
    }
    if (a.isMapType()) {
      return sameShape(a.asMapType().keyType(), b.asMapType().keyType())
          && sameShape(a.asMapType().valueType(), b.asMapType().valueType());
    }
    List<Types.NestedField> fa = a.asStructType().fields();
    List<Types.NestedField> fb = b.asStructType().fields();
    if (fa.size() != fb.size()) {
      return false;
    }
    for (int i = 0; i < fa.size(); i++) {
      if (!fa.get(i).name().equals(fb.get(i).name()) || !sameShape(fa.get(i).type(), fb.get(i).type())) {
        return false;
      }
    }
    return true;
  }

  /** An Iceberg type as messages show it: without field ids and docs, e.g. {@code struct<name: string>}. */
  public static String describe(Type type) {
    if (type.isPrimitiveType()) {
      return type.toString();
    }
    if (type.isListType()) {
      return "list<" + describe(type.asListType().elementType()) + ">";
    }
    if (type.isMapType()) {
      return "map<" + describe(type.asMapType().keyType()) + ", " + describe(type.asMapType().valueType()) + ">";
    }
    StringBuilder s = new StringBuilder("struct<");
    for (Types.NestedField f : type.asStructType().fields()) {
      s.append(s.length() > 7 ? ", " : "").append(f.name()).append(": ").append(describe(f.type()));
    }
    return s.append('>').toString();
  }
}
