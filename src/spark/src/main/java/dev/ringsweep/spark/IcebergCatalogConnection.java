package dev.ringsweep.spark;

import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ImportSources;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;

/**
 * How the Spark driver and executors reach an Iceberg catalog: its name and the properties Iceberg builds it from
 * ({@code type} {@code hadoop}, {@code jdbc}, {@code rest}, {@code hive}..., or {@code catalog-impl}; {@code uri},
 * {@code warehouse}, {@code io-impl}, {@code jdbc.user}...), a plain serializable value that travels with every task.
 * Each JVM builds ONE catalog per distinct value with Iceberg's {@code CatalogUtil.buildIcebergCatalog}, on first
 * use, and keeps it open for its tasks; the Hadoop configuration is Spark's ({@code spark.hadoop.*} included).
 *
 * <pre>{@code
 * // A catalog configured in the Spark session (spark.sql.catalog.lake.*), by its name:
 * IcebergCatalogConnection lake = IcebergCatalogConnection.fromSparkCatalog(spark, "lake");
 * // or given by its properties:
 * IcebergCatalogConnection lake = IcebergCatalogConnection.of("lake",
 *     Map.of("type", "jdbc", "uri", "jdbc:postgresql://db/iceberg", "warehouse", "s3://bucket/lake"));
 * ringsweep.exportToIceberg("shop", "orders", lake.target("db.orders"), ExportOptions.defaults());
 * ringsweep.importFromIceberg(lake.source("db.orders"), "shop", "orders_copy", ImportOptions.defaults());
 * }</pre>
 *
 * <p>Only targets and sources made by {@link #target} and {@link #source} (and their {@code with...} copies) travel
 * to executors; a target in any other {@code Catalog} object is refused by {@link RingsweepSpark}. Property values
 * that look like secrets (names with password, secret, token, credential, key or authorization, and a REST
 * catalog's {@code header.*}), the user part of a URI and a URI's parameters named like secrets
 * ({@code jdbc:...?user=u&password=pw}, {@code ;password=pw}) are never shown: not by {@link #toString()}, not in errors, not in logs; the value is never written to task results.
 *
 * @param name the catalog's name (Iceberg's catalog name, e.g. the {@code catalog_name} of a JDBC catalog's rows)
 * @param properties the catalog properties as Iceberg's {@code CatalogUtil.buildIcebergCatalog} takes them
 */
public record IcebergCatalogConnection(String name, Map<String, String> properties) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Property names whose values are never shown (a REST catalog's {@code header.*} ones carry credentials too). */
  private static final Pattern SECRET =
      Pattern.compile("(?i)(.*(password|secret|token|credential|key|authorization).*|header\\..*)");

  /**
   * A secret inside a value: a URI's user part ({@code //user:pw@}) or a parameter named like a secret
   * ({@code ?password=pw}, {@code ;password=pw}, {@code &access_token=t}), up to the next {@code &}, {@code ;} or
   * blank.
   */
  private static final Pattern SECRET_IN_VALUE = Pattern.compile(
      "(?i)//[^/@\\s]*@|([?&;]\\s*[\\w.-]*(?:password|pwd|secret|token|credential|key)[\\w.-]*\\s*=)[^&;\\s]*");

  /** The prefix of a Spark session's catalog settings. */
  static final String SPARK_CATALOG_PREFIX = "spark.sql.catalog.";

  /**
   * Validates the name and properties.
   *
   * @throws IllegalArgumentException if the name is blank, or neither {@code type} nor {@code catalog-impl} is given
   */
  public IcebergCatalogConnection {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(String.format("Invalid Iceberg catalog name: '%s' (must not be blank)",
          name));
    }
    Objects.requireNonNull(properties, "properties");
    properties = Map.copyOf(properties);
    if (!properties.containsKey("type") && !properties.containsKey("catalog-impl")) {
      throw new IllegalArgumentException(String.format("Missing Iceberg catalog setting of catalog '%s': type or "
          + "catalog-impl (e.g. type=hadoop, jdbc, rest, hive); given: %s", name, shown(properties).keySet()));
    }
  }

  /** The catalog {@code name} built from {@code properties}. */
  public static IcebergCatalogConnection of(String name, Map<String, String> properties) {
    return new IcebergCatalogConnection(name, properties);
  }

  /**
   * The Iceberg catalog configured in {@code spark}'s session as {@code spark.sql.catalog.<name>} (Iceberg's
   * {@code SparkCatalog} or {@code SparkSessionCatalog}) with its {@code spark.sql.catalog.<name>.*} properties: the
   * catalog Spark SQL itself uses under that name.
   *
   * @throws IllegalArgumentException naming the catalog if the session has no such catalog, or it is not Iceberg's
   */
  public static IcebergCatalogConnection fromSparkCatalog(SparkSession spark, String name) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(name, "name");
    Map<String, String> conf = new TreeMap<>();
    scala.collection.Iterator<scala.Tuple2<String, String>> all = spark.conf().getAll().iterator();
    while (all.hasNext()) {
      scala.Tuple2<String, String> entry = all.next();
      conf.put(entry._1(), entry._2());
    }
    String implementation = conf.get(SPARK_CATALOG_PREFIX + name);
    if (implementation == null) {
      java.util.Set<String> configured = new java.util.TreeSet<>();
      conf.keySet().stream().filter(k -> k.startsWith(SPARK_CATALOG_PREFIX))
          .map(k -> k.substring(SPARK_CATALOG_PREFIX.length()))
          .filter(k -> !k.contains(".")).forEach(configured::add);
      throw new IllegalArgumentException(String.format("Unknown Spark catalog: '%s' (no %s%s in the session's "
          + "configuration; its catalogs: %s)", name, SPARK_CATALOG_PREFIX, name, configured));
    }
    if (!implementation.startsWith("org.apache.iceberg.spark.")) {
      throw new IllegalArgumentException(String.format("Unsupported Spark catalog: '%s' is %s, not an Iceberg "
          + "catalog (org.apache.iceberg.spark.SparkCatalog or SparkSessionCatalog)", name, implementation));
    }
    String prefix = SPARK_CATALOG_PREFIX + name + ".";
    Map<String, String> properties = new TreeMap<>();
    conf.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        properties.put(key.substring(prefix.length()), value);
      }
    });
    if (!properties.containsKey("type") && !properties.containsKey("catalog-impl")) {
      properties.put("type", "hive"); // Iceberg's SparkCatalog defaults to a Hive catalog
    }
    return new IcebergCatalogConnection(name, properties);
  }

  /**
   * This JVM's catalog: built on first use, shared, never closed by callers.
   *
   * @throws IllegalArgumentException naming the catalog if it cannot be built or reached
   */
  public Catalog catalog() {
    return SharedCatalogs.get(this);
  }

  /**
   * An export target in this catalog (append, zstd, no partitioning by default; see {@link IcebergTarget}); loads
   * the catalog in this JVM.
   *
   * @param namespaceAndTable the table identifier, e.g. {@code "db.orders"}
   */
  public IcebergTarget target(String namespaceAndTable) {
    return ExportTargets.iceberg(catalog(), TableIdentifier.parse(namespaceAndTable));
  }

  /**
   * An import source in this catalog (its current snapshot unless {@link IcebergSource#atSnapshot}); loads the
   * catalog in this JVM.
   *
   * @param namespaceAndTable the table identifier, e.g. {@code "db.orders"}
   */
  public IcebergSource source(String namespaceAndTable) {
    return ImportSources.iceberg(catalog(), TableIdentifier.parse(namespaceAndTable));
  }

  /** The properties as they may be shown: secrets and the user part of URIs hidden. */
  static Map<String, String> shown(Map<String, String> properties) {
    Map<String, String> shown = new TreeMap<>();
    properties.forEach((key, value) -> shown.put(key, SECRET.matcher(key).matches() ? "***"
        : value == null ? null : hideInValue(value)));
    return shown;
  }

  /** {@code text} with the secrets inside values ({@link #SECRET_IN_VALUE}) replaced by {@code ***}. */
  private static String hideInValue(String text) {
    return SECRET_IN_VALUE.matcher(text).replaceAll(m -> m.group(1) == null ? "//***@"
        : java.util.regex.Matcher.quoteReplacement(m.group(1)) + "***");
  }

  /** {@code message} with every secret property value replaced by {@code ***}. */
  String scrub(String message) {
    String scrubbed = String.valueOf(message);
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (SECRET.matcher(e.getKey()).matches() && e.getValue() != null && !e.getValue().isEmpty()) {
        scrubbed = scrubbed.replace(e.getValue(), "***");
      }
    }
    return hideInValue(scrubbed);
  }

  /** Shows the name and the properties, never a secret. */
  @Override
  public String toString() {
    return "IcebergCatalogConnection[name=" + name + ", properties=" + shown(properties) + "]";
  }
}
