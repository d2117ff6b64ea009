package dev.ringsweep.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Spark Cassandra Connector's side of the spark suite, as a Spark user writes it, run in a measured child JVM
 * whose classpath is Spark, iceberg-spark-runtime and the connector:
 *
 * <ul>
 *   <li>{@code count}: {@code javaFunctions(sc).cassandraTable(ks, t).rdd().cassandraCount()} (one server-side
 *       count per Spark partition, summed);
 *   <li>{@code export}: {@code df = spark.read().format("org.apache.spark.sql.cassandra").option("keyspace", ks)
 *       .option("table", t).load()}, {@code CREATE TABLE <target> (<df's schema>) USING iceberg}, then
 *       {@code df.writeTo(target).append()} (Iceberg's Spark writer);
 *   <li>{@code import}: {@code spark.table(source).write().format("org.apache.spark.sql.cassandra")
 *       .option("keyspace", ks).option("table", t).mode("append").save()}, the DataFrame form of
 *       {@code saveToCassandra}.
 * </ul>
 *
 * <p>Every call is made by reflection, exactly the calls above: the harness is compiled without Spark (whose
 * Jackson and Scala would otherwise meet this project's on its classpaths), so Spark and the connector, with its own
 * shaded driver, reach only this child's classpath.
 *
 * <p>Everything else comes from the JVM's {@code spark.*} system properties, as {@code spark-submit --conf} gives
 * them: the master, {@code spark.cassandra.connection.host}/{@code port}/{@code localDC}, and the Iceberg catalog
 * ({@code spark.sql.catalog.<name>.*}). Prints one line, {@code "<rows> rows … (<job seconds> s)"} for count and
 * {@code "… (<job seconds> s)"} otherwise, the job seconds counted from the first action (the session started).
 *
 * <p>Arguments: {@code count <keyspace> <table>} | {@code export <keyspace> <table> <catalog.namespace.table>} |
 * {@code import <catalog.namespace.table> <keyspace> <table>}.
 */
public final class SccJob {

  /** The connector's DataFrame source. */
  static final String FORMAT = "org.apache.spark.sql.cassandra";

  private SccJob() {}

  /** Entry point; see the class comment. Exits 0 after stopping Spark, 1 on a failure, 2 on wrong arguments. */
  public static void main(String[] args) throws Exception {
    boolean valid = args.length == 3 && args[0].equals("count")
        || args.length == 4 && (args[0].equals("export") || args[0].equals("import"));
    if (!valid) {
      System.err.println("Usage: SccJob count KS TABLE | export KS TABLE CATALOG.NS.TABLE | import CATALOG.NS.TABLE "
          + "KS TABLE; got " + Arrays.toString(args));
      System.exit(2);
    }
    Object builder = invokeStatic("org.apache.spark.sql.SparkSession", "builder");
    Object spark = call(call(builder, "appName", "scc " + args[0]), "getOrCreate");
    int status = 0;
    try {
      long started = System.nanoTime();
      String line = switch (args[0]) {
        case "count" -> count(spark, args[1], args[2]) + " rows in " + args[1] + "." + args[2];
        case "export" -> export(spark, args[1], args[2], args[3]);
        default -> importing(spark, args[1], args[2], args[3]);
      };
      System.out.printf(Locale.ROOT, "%s (%.1f s)%n", line, (System.nanoTime() - started) / 1e9);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      call(spark, "stop");
    }
    System.exit(status);
  }

  private static long count(Object spark, String keyspace, String table) throws ReflectiveOperationException {
    Object sc = call(spark, "sparkContext");
    Object jsc = invokeStatic("org.apache.spark.api.java.JavaSparkContext", "fromSparkContext", sc);
    Object functions = invokeStatic("com.datastax.spark.connector.japi.CassandraJavaUtil", "javaFunctions", jsc);
    Object rdd = call(call(functions, "cassandraTable", keyspace, table), "rdd"); // a CassandraTableScanRDD
    return (Long) call(rdd, "cassandraCount");
  }

  private static String export(Object spark, String keyspace, String table, String target)
      throws ReflectiveOperationException {
    Object df = call(call(call(call(call(spark, "read"), "format", FORMAT), "option", "keyspace", keyspace),
        "option", "table", table), "load");
    String ddl = (String) call(call(df, "schema"), "toDDL");
    call(spark, "sql", "CREATE NAMESPACE IF NOT EXISTS " + target.substring(0, target.lastIndexOf('.')));
    call(spark, "sql", "CREATE TABLE " + target + " (" + ddl + ") USING iceberg");
    call(call(df, "writeTo", target), "append");
    return "exported " + keyspace + "." + table + " to " + target;
  }

  private static String importing(Object spark, String source, String keyspace, String table)
      throws ReflectiveOperationException {
    Object writer = call(call(call(spark, "table", source), "write"), "format", FORMAT);
    call(call(call(call(writer, "option", "keyspace", keyspace), "option", "table", table), "mode", "append"),
        "save");
    return "imported " + source + " into " + keyspace + "." + table;
  }

  private static Object invokeStatic(String className, String method, Object... args)
      throws ReflectiveOperationException {
    return invoke(Class.forName(className), null, method, args);
  }

  private static Object call(Object target, String method, Object... args) throws ReflectiveOperationException {
    return invoke(target.getClass(), target, method, args);
  }

  /** Calls the public method of that name whose parameters take {@code args} (String arguments choose String). */
  private static Object invoke(Class<?> type, Object target, String name, Object... args)
      throws ReflectiveOperationException {
    for (Method m : type.getMethods()) {
      if (!m.getName().equals(name) || m.getParameterCount() != args.length
          || (target == null) != Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Class<?>[] types = m.getParameterTypes();
      boolean fits = true;
      for (int i = 0; i < args.length && fits; i++) {
        fits = types[i].isInstance(args[i]);
      }
      if (fits) {
        try {
          return m.invoke(target, args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw e;
        }
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + " taking " + Arrays.toString(args));
  }
}
