package dev.ringsweep.iceberg;

import java.util.Objects;

/**
 * One partition field of an Iceberg table created by an export: a column and a transform.
 *
 * @param column the CQL column name (unquoted, as stored)
 * @param transform identity for any column; day or month only for date and timestamp columns
 */
public record PartitionField(String column, Transform transform) {

  /** Partition transforms. */
  public enum Transform {
    /** The column's value. */
    IDENTITY,
    /** The day of a date or timestamp column. */
    DAY,
    /** The month of a date or timestamp column. */
    MONTH
  }

  /** Validates the column name. */
  public PartitionField {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(transform, "transform");
    if (column.isBlank()) {
      throw new IllegalArgumentException(String.format("Invalid partition column: '%s' (must not be blank)",
          column));
    }
  }

  /** Partition by the column's value. */
  public static PartitionField identity(String column) {
    return new PartitionField(column, Transform.IDENTITY);
  }

  /** Partition by the day of a date or timestamp column. */
  public static PartitionField day(String column) {
    return new PartitionField(column, Transform.DAY);
  }

  /** Partition by the month of a date or timestamp column. */
  public static PartitionField month(String column) {
    return new PartitionField(column, Transform.MONTH);
  }
}
