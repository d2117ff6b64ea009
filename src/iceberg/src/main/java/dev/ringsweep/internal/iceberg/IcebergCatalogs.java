package dev.ringsweep.internal.iceberg;

import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.IcebergTarget;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Opens the catalog of an Iceberg target: the user's own, or one kept inside the warehouse directory. Public so that
 * import ({@code dev.ringsweep.imports}) opens a warehouse exactly as export wrote it; not meant for other callers.
 */
public final class IcebergCatalogs {

  /** The SQLite file of the default catalog, inside the warehouse. */
  public static final String SQLITE_FILE = "catalog.db";

  private IcebergCatalogs() {}

  /** An open catalog; closing it closes only a catalog this class opened, never the user's. */
  public record Opened(Catalog catalog, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned && catalog instanceof Closeable closeable) {
        try {
          closeable.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /**
   * Creates the warehouse directory of a warehouse target if it is absent, and returns it as an absolute path.
   *
   * @throws UncheckedIOException if it cannot be created
   */
  static Path createWarehouse(IcebergTarget target) {
    Path warehouse = target.warehouse().toAbsolutePath().normalize();
    try {
      Files.createDirectories(warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.format("Cannot create Iceberg warehouse directory %s (%s)", warehouse, e), e);
    }
    return warehouse;
  }

  /** Opens the target's catalog (creating the warehouse directory of a warehouse target if absent). */
  public static Opened open(IcebergTarget target) {
    if (target.catalog() != null) {
      return new Opened(target.catalog(), false);
    }
    Path warehouse = createWarehouse(target);
    Configuration conf = hadoopConf();
    // A plain absolute path, not a URI: Hadoop takes a location's text as a path, so a warehouse whose path has a
    // space, given as file:/a%20b, would put its tables in a directory literally named a%20b beside the warehouse.
    String location = warehouse.toString();
    if (target.catalogKind() == CatalogKind.HADOOP) {
      HadoopCatalog catalog = new HadoopCatalog();
      catalog.setConf(conf);
      catalog.initialize(IcebergTarget.CATALOG_NAME, Map.of(CatalogProperties.WAREHOUSE_LOCATION, location));
      return new Opened(catalog, true);
    }
    requireSqliteDriver(SQLITE_DRIVER, warehouse);
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(conf);
    catalog.initialize(
        IcebergTarget.CATALOG_NAME,
        Map.of(
            CatalogProperties.URI, "jdbc:sqlite:" + warehouse.resolve(SQLITE_FILE),
            CatalogProperties.WAREHOUSE_LOCATION, location,
            // The current catalog schema (with views); readers of the older layout still open it.
            "jdbc.schema-version", "V1"));
    return new Opened(catalog, true);
  }

  /** The JDBC driver of the default catalog, from the optional dependency {@code org.xerial:sqlite-jdbc}. */
  static final String SQLITE_DRIVER = "org.sqlite.JDBC";

  /**
   * Throws unless {@code driverClass} (the SQLite JDBC driver) is on the classpath: ringsweep-iceberg declares
   * {@code org.xerial:sqlite-jdbc} optional, so a project that uses the default catalog of a warehouse path adds it.
   */
  static void requireSqliteDriver(String driverClass, Path warehouse) {
    try {
      Class.forName(driverClass, false, IcebergCatalogs.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(String.format("The default Iceberg catalog of warehouse %s is an SQLite file (%s), "
          + "but the SQLite JDBC driver (%s) is not on the classpath: add the dependency org.xerial:sqlite-jdbc "
          + "(ringsweep-iceberg declares it optional), or use CatalogKind.HADOOP, or pass a Catalog of your own",
          warehouse, SQLITE_FILE, driverClass), e);
    }
  }

  /** A Hadoop configuration for local files without {@code .crc} side files. */
  public static Configuration hadoopConf() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setBoolean("fs.file.impl.disable.cache", true);
    // Every page carries a CRC32 of its bytes (parquet-mr's default, stated here so that it stays so), and every
    // page read through this configuration is checked against it: a corrupt page fails the read, never reaches
    // Cassandra as garbage.
    conf.setBoolean(PAGE_WRITE_CHECKSUM, true);
    conf.setBoolean(PAGE_VERIFY_CHECKSUM, true);
    return conf;
  }

  /** parquet-mr's switch for writing a CRC with every page. */
  static final String PAGE_WRITE_CHECKSUM = "parquet.page.write-checksum.enabled";
  /** parquet-mr's switch for checking every page read against its CRC (off in parquet-mr by default). */
  static final String PAGE_VERIFY_CHECKSUM = "parquet.page.verify-checksum.enabled";

  /**
   * The local path of a location ({@code /x}, {@code file:/x}, {@code file:///x}), or null for a remote one: the
   * file Hadoop's local file system reads and writes for it, which Iceberg's {@code HadoopFileIO} uses. Hadoop takes
   * a location's text as a path, escapes and all: a {@code %20} in it names a directory called {@code %20}, not a
   * space (which is why {@link #open} gives the catalog a plain path).
   */
  static Path localPath(String location) {
    if (!location.startsWith("/") && !location.startsWith("file:")) {
      return null;
    }
    return Path.of(new org.apache.hadoop.fs.Path(location).toUri().getPath()).normalize();
  }

}
