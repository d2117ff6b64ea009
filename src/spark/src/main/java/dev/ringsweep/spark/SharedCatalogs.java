package dev.ringsweep.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * The Iceberg catalogs of one JVM (an executor, or the Spark driver): one per distinct
 * {@link IcebergCatalogConnection}, built on first use with Iceberg's {@code CatalogUtil.buildIcebergCatalog} and
 * Spark's Hadoop configuration, shared by all tasks, left open until the JVM exits.
 */
final class SharedCatalogs {

  private static final Map<IcebergCatalogConnection, Catalog> CATALOGS = new ConcurrentHashMap<>();

  private SharedCatalogs() {}

  static Catalog get(IcebergCatalogConnection connection) {
    return CATALOGS.computeIfAbsent(connection, SharedCatalogs::build);
  }

  /** The connection whose catalog {@code catalog} is, or null when this class did not build it. */
  static IcebergCatalogConnection connectionOf(Catalog catalog) {
    for (Map.Entry<IcebergCatalogConnection, Catalog> entry : CATALOGS.entrySet()) {
      if (entry.getValue() == catalog) {
        return entry.getKey();
      }
    }
    return null;
  }

  private static Catalog build(IcebergCatalogConnection connection) {
    Object hadoopConf = SparkEnv.get() != null
        ? SparkHadoopUtil.get().newConfiguration(SparkEnv.get().conf())
        : new org.apache.hadoop.conf.Configuration();
    try {
      return CatalogUtil.buildIcebergCatalog(connection.name(), connection.properties(), hadoopConf);
    } catch (RuntimeException | LinkageError e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String cause = root == e ? String.valueOf(e.getMessage()) : e.getMessage() + "; caused by: " + root;
      // No cause attached: its messages may hold what the connection's properties hide.
      throw new IllegalArgumentException(String.format("Cannot load Iceberg catalog '%s' (%s): %s",
          connection.name(), IcebergCatalogConnection.shown(connection.properties()), connection.scrub(cause)));
    }
  }
}
