package dev.ringsweep.internal.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names Ringsweep writes to disk and reads back: the keys of Iceberg table properties and Parquet key/value
 * metadata, and the names of its own files beside data files. Changing one breaks reading what older versions
 * wrote: they are a contract, kept in this one place.
 */
public final class OnDisk {

  /** Prefix of the property holding a column's CQL type text, followed by the column name. */
  public static final String TYPE_PROPERTY_PREFIX = "ringsweep.cql.type.";

  /** Property naming the exported table, {@code keyspace.table}. */
  public static final String SOURCE_PROPERTY = "ringsweep.cql.source";

  /** Property holding the exported table's CQL definition. */
  public static final String TABLE_PROPERTY = "ringsweep.cql.table";

  /** The column names and CQL types of a directory export, beside its data files. */
  public static final String SCHEMA_FILE = "_ringsweep_schema.json";

  /** The checkpoint of a directory export, beside its data files. */
  public static final String CHECKPOINT_FILE = "_ringsweep_checkpoint.json";

  /** The lock file of a directory export (held by the running export). */
  public static final String DIRECTORY_LOCK_FILE = "_ringsweep.lock";

  /** Prefix of every file of Ringsweep's own in a directory target: none of them is data. */
  public static final String OWN_FILE_PREFIX = "_ringsweep";

  /**
   * Prefix of the staging directories of an export on Spark in a directory target ({@code <prefix><run>/<attempt>/}),
   * where task attempts write until the export completes.
   */
  public static final String SPARK_STAGING_PREFIX = OWN_FILE_PREFIX + "_spark-";

  private OnDisk() {}

  /** The type properties of these columns: {@value #TYPE_PROPERTY_PREFIX}{@code <name>} to the CQL type text. */
  public static Map<String, String> typeProperties(List<CqlColumn> columns) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (CqlColumn column : columns) {
      properties.put(TYPE_PROPERTY_PREFIX + column.name(), column.cqlType());
    }
    return properties;
  }
}
