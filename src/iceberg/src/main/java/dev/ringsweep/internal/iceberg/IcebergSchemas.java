package dev.ringsweep.internal.iceberg;

import dev.ringsweep.iceberg.PartitionField;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Partition specs and schema checks for Iceberg targets. */
final class IcebergSchemas {

  private IcebergSchemas() {}

  /**
   * The partition spec of a new table.
   *
   * @throws IllegalArgumentException if a column is unknown, or day/month is asked of a column that is neither a date
   *     nor a timestamp
   */
  static PartitionSpec spec(Schema schema, List<PartitionField> fields) {
    PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
    for (PartitionField field : fields) {
      Types.NestedField column = schema.findField(field.column());
      if (column == null || schema.columns().stream().noneMatch(c -> c.name().equals(field.column()))) {
        throw new IllegalArgumentException(
            String.format("Invalid partition column: %s (not an exported column)", field.column()));
      }
      Type.TypeID type = column.type().typeId();
      boolean temporal = type == Type.TypeID.DATE || type == Type.TypeID.TIMESTAMP;
      switch (field.transform()) {
        case IDENTITY -> spec.identity(field.column());
        case DAY, MONTH -> {
          if (!temporal) {
            throw new IllegalArgumentException(
                String.format("Invalid partition transform: %s of %s (only for date and timestamp columns, not %s)",
                    field.transform(), field.column(), column.doc()));
          }
          if (field.transform() == PartitionField.Transform.DAY) {
            spec.day(field.column());
          } else {
            spec.month(field.column());
          }
        }
        default -> throw new IllegalStateException("Unknown transform " + field.transform());
      }
    }
    return spec.build();
  }

  /**
   * Checks that an existing table has the exported columns, in order, with the same types (ids and docs ignored).
   *
   * @throws IllegalStateException if not
   */
  static void checkCompatible(TableIdentifier id, Schema existing, Schema exported) {
    if (!IcebergTypes.sameShape(existing.asStruct(), exported.asStruct())) {
      throw new IllegalStateException(
          String.format("Iceberg table %s has columns %s, the export writes %s", id, shape(existing.asStruct()),
              shape(exported.asStruct())));
    }
  }

  private static String shape(Types.StructType struct) {
    StringBuilder s = new StringBuilder("[");
    for (Types.NestedField f : struct.fields()) {
      s.append(s.length() > 1 ? ", " : "").append(f.name()).append(' ').append(f.type());
    }
    return s.append(']').toString();
  }
}
