package dev.ringsweep.bench;

import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.internal.iceberg.IcebergCatalogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Ringsweep on Spark against the Spark Cassandra Connector (SCC), each tool in a measured child JVM running Spark in
 * local mode (so the child's CPU time is the Spark driver's and executors' together) with the same master, heap,
 * Spark version and cluster, each with its default settings:
 *
 * <ul>
 *   <li>count: SCC's {@code cassandraCount()} against {@code SparkMain count};
 *   <li>export: SCC's DataFrame appended with Iceberg's Spark writer against {@code SparkMain export -f iceberg};
 *   <li>import: the same Iceberg table (written once, untimed, by Ringsweep) read by Spark and written with SCC's
 *       DataFrame source, against {@code SparkMain import -f iceberg}, into an empty copy table.
 * </ul>
 *
 * Ringsweep runs from its shaded jar ({@code ringsweep-spark-<version>-all.jar}, as {@code spark-submit} runs it),
 * SCC from its Maven Central artifacts; both on the same Spark and iceberg-spark-runtime jars, resolved apart from
 * this project's ({@link MavenClasspath}). Every run is checked against ground truth: counts equal the rows loaded,
 * the exported Iceberg table's current snapshot holds every row (read from its metadata by the harness), and the
 * copy table is counted after each import.
 */
final class SparkSuite {

  /** The Spark release of both children (the one {@code ringsweep-spark} is built and tested against). */
  static final String SPARK_VERSION = "3.5.8";

  static final String ICEBERG_VERSION = "1.12.0";

  /** The Spark Cassandra Connector release compared. */
  static final String SCC_VERSION = "3.5.1";

  /** The SQLite JDBC driver of the Iceberg catalog SCC's export writes to (Ringsweep's jar bundles its own). */
  static final String SQLITE_VERSION = "3.50.3.0";

  /** Ringsweep's spark-submit entry point, in the shaded jar. */
  static final String RINGSWEEP_MAIN = "dev.ringsweep.spark.SparkMain";

  /** Spark's name of the Iceberg catalog: the name Ringsweep keeps its warehouse catalogs under. */
  static final String CATALOG = IcebergTarget.CATALOG_NAME;

  /** The Iceberg table of every export and import, in a warehouse directory of its own per tool. */
  static final String ICEBERG_TABLE = BenchTable.KEYSPACE + "." + BenchTable.TABLE;

  /** What {@code spark-submit} adds to the JVM for Spark 3.5 on Java 17 (Spark's {@code JavaModuleOptions}). */
  static final List<String> JAVA_17_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");

  /** The goals: Ringsweep's rows/s at least this many times SCC's, with no more CPU. */
  static final Map<String, Double> GOALS = Map.of(Group.COUNT.title, 2.0, Group.EXPORT.title, 2.0,
      Group.IMPORT.title, 1.5);

  /** The comparisons, in the order they run. */
  enum Group {
    COUNT("count the whole table"),
    EXPORT("export the whole table to a new Iceberg table"),
    IMPORT("import an Iceberg table into an empty table");

    final String title;

    Group(String title) {
      this.title = title;
    }
  }

  private static final Pattern JOB_SECONDS = Pattern.compile("([0-9]+(?:[.,][0-9]+)?) s\\)\\s*$");

  private final BenchContext ctx;
  private final String master;
  private final List<Path> ringsweepClasspath;
  private final List<Path> sccClasspath;
  private final Map<String, List<Double>> jobSeconds = new LinkedHashMap<>();

  private SparkSuite(BenchContext ctx, String master, List<Path> ringsweepClasspath, List<Path> sccClasspath) {
    this.ctx = ctx;
    this.master = master;
    this.ringsweepClasspath = ringsweepClasspath;
    this.sccClasspath = sccClasspath;
  }

  static Suite run(BenchContext ctx, String master) {
    Path jar = shadedJar();
    List<String> spark = List.of("org.apache.spark:spark-sql_2.12:" + SPARK_VERSION,
        "org.apache.iceberg:iceberg-spark-runtime-3.5_2.12:" + ICEBERG_VERSION);
    List<Path> ringsweep = new ArrayList<>(List.of(jar));
    String sparkName = "spark-" + SPARK_VERSION + "-iceberg-" + ICEBERG_VERSION;
    ringsweep.addAll(MavenClasspath.resolve(sparkName, MavenClasspath.pom(sparkName, spark)));
    List<String> withScc = new ArrayList<>(spark);
    withScc.add("com.datastax.spark:spark-cassandra-connector_2.12:" + SCC_VERSION);
    withScc.add("org.xerial:sqlite-jdbc:" + SQLITE_VERSION);
    String sccName = "scc-" + SCC_VERSION + "-" + sparkName;
    List<Path> scc = new ArrayList<>(MavenClasspath.resolve(sccName, MavenClasspath.pom(sccName, withScc)));
    scc.add(ownClassesOf(SccJob.class));
    return new SparkSuite(ctx, master, ringsweep, scc).measure(jar);
  }

  private Suite measure(Path jar) {
    // Short: the charts take it as their title.
    Suite suite = new Suite("spark", String.format(Locale.ROOT, "Spark: Ringsweep vs SCC (%d node(s), %,d rows, %s)",
        ctx.nodes(), ctx.rows(), master));
    Path work = ctx.workDir().resolve("spark");
    List<Measurement> all = new ArrayList<>();

    Path sccExport = work.resolve("scc-export");
    Path ringsweepExport = work.resolve("ringsweep-export");
    Path source = work.resolve("import-source");
    List<String> failed = new ArrayList<>();
    for (Group group : Group.values()) {
      System.out.println("spark: " + group.title);
      try {
        all.addAll(withJobSeconds(switch (group) {
          case COUNT -> Cases.measure(group.title, List.of(
              new Cases.Case("SCC cassandraCount()", Measurement.Role.BASELINE, round -> sccCount()),
              new Cases.Case("Ringsweep on Spark count", Measurement.Role.CONTENDER, round -> ringsweepCount())),
              ctx.runs(), ctx.rows());
          case EXPORT -> Cases.measure(group.title, List.of(
              new Cases.Case("SCC DataFrame → Iceberg writeTo().append()", Measurement.Role.BASELINE,
                  round -> sccExport(sccExport)),
              new Cases.Case("Ringsweep on Spark → Iceberg", Measurement.Role.CONTENDER,
                  round -> ringsweepExport(ringsweepExport))), ctx.runs(), ctx.rows());
          case IMPORT -> {
            prepareImportSource(source);
            yield Cases.measure(group.title, List.of(
                new Cases.Case("SCC Iceberg → DataFrame write.format(cassandra)", Measurement.Role.BASELINE,
                    round -> sccImport(source)),
                new Cases.Case("Ringsweep on Spark ← Iceberg", Measurement.Role.CONTENDER,
                    round -> ringsweepImport(source))), ctx.runs(), ctx.rows());
          }
        }));
      } catch (RuntimeException e) {
        // One comparison failing leaves the others' figures standing; the report says what failed.
        e.printStackTrace();
        failed.add(group.title);
        suite.note("**" + group.title + "** failed: "
            + Cases.reason(String.valueOf(e.getMessage())).replace("|", "/"));
      }
    }
    all.forEach(suite::add);
    for (Group group : Group.values()) {
      if (!failed.contains(group.title)) {
        suite.note(verdict(suite, group.title, GOALS.get(group.title)));
      }
    }
    suite.note(String.format(Locale.ROOT, "Each case is one child JVM running Spark %s `%s` (driver and executors "
        + "in that JVM, so its CPU time is the executors' plus the driver's) with `-Xmx%s` and the Java 17 "
        + "`--add-opens` of spark-submit; both tools on the same Spark %s and iceberg-spark-runtime %s jars, "
        + "each with its default settings. Seconds are the whole JVM, start-up included; \"job\" in the note is "
        + "the time each tool reports from its first Spark action to its end (median).", SPARK_VERSION, master,
        heap(), SPARK_VERSION, ICEBERG_VERSION));
    suite.note("Ringsweep: `" + RINGSWEEP_MAIN + "` from `" + jar.getFileName() + "` (the spark-submit jar); its "
        + "import verifies by default (the copy table counted on Spark before and after, inside its time).");
    suite.note("SCC " + SCC_VERSION + " (`spark-cassandra-connector_2.12` from Maven Central, with its own "
        + "`java-driver-core-shaded`; `" + SccJob.class.getSimpleName() + "` makes the calls by reflection, the "
        + "harness being compiled without Spark): count "
        + "is the RDD API's `cassandraTable(ks, t).cassandraCount()`; export reads the table with "
        + "`spark.read().format(\"org.apache.spark.sql.cassandra\")`, creates the Iceberg table with its schema "
        + "and appends with `df.writeTo(...).append()`; import is the DataFrame equivalent of `saveToCassandra`: "
        + "`spark.table(iceberg).write().format(\"org.apache.spark.sql.cassandra\").mode(\"append\").save()`.");
    suite.note("Iceberg tables in a JDBC (SQLite) catalog in a warehouse directory per tool, emptied before every "
        + "export; the import source is one table exported by Ringsweep on Spark before the import runs, read by "
        + "both tools. Checked every run: counts equal the rows loaded; each exported table's current snapshot "
        + "holds every row (total-records of its metadata, read by the harness); the copy table, truncated before "
        + "each import, is counted after it.");
    return suite;
  }

  /** The import's source: one table exported by Ringsweep on Spark (untimed), holding every row. */
  private void prepareImportSource(Path source) {
    System.out.println("spark: the import source, exported once by Ringsweep on Spark (untimed)");
    long rows = ringsweepExport(source).rows();
    if (rows != ctx.rows()) {
      throw new IllegalStateException(String.format(Locale.ROOT, "The import source holds %,d rows, expected %,d",
          rows, ctx.rows()));
    }
  }

  /** A line saying whether Ringsweep met a group's goal: speed-up at least {@code goal}, CPU at most SCC's. */
  static String verdict(Suite suite, String group, double goal) {
    Measurement base = suite.baseline(group);
    Measurement contender = suite.group(group).stream().filter(m -> !m.isBaseline()).findFirst().orElseThrow();
    double speedUp = base.seconds() / contender.seconds();
    double cpu = contender.cpuSeconds() / base.cpuSeconds();
    return String.format(Locale.ROOT, "**%s**: Ringsweep %.2f× SCC's rows/s (goal %.1f×: %s), with %.2f× its CPU "
            + "time (goal ≤ 1×: %s)%s.", group, speedUp, goal, speedUp >= goal ? "met" : "**not met**", cpu,
        Double.isNaN(cpu) ? "not measured" : cpu <= 1.0 ? "met" : "**not met**", jobRatio(base, contender));
  }

  private static String jobRatio(Measurement base, Measurement contender) {
    double b = jobSecondsOf(base.note());
    double c = jobSecondsOf(contender.note());
    return Double.isNaN(b) || Double.isNaN(c) || c == 0 ? ""
        : String.format(Locale.ROOT, "; job time alone (without JVM and Spark start-up): %.2f×", b / c);
  }

  /** The median job seconds a note of this suite gives ({@code "job 12.3 s"}), or NaN. */
  static double jobSecondsOf(String note) {
    Matcher m = Pattern.compile("job ([0-9]+(?:\\.[0-9]+)?) s").matcher(note);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The seconds a tool printed at the end of its result line, {@code "... (12.3 s)"} or {@code ", 12.3 s)"}. */
  static double reportedSeconds(String output) {
    List<String> lines = output.lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = JOB_SECONDS.matcher(lines.get(i));
      if (m.find()) {
        return Double.parseDouble(m.group(1).replace(',', '.'));
      }
    }
    return Double.NaN;
  }

  private List<Measurement> withJobSeconds(List<Measurement> measured) {
    List<Measurement> out = new ArrayList<>();
    for (Measurement m : measured) {
      double job = Measurement.median(jobSeconds.getOrDefault(m.label(), List.of()));
      String note = Double.isNaN(job) ? m.note()
          : String.format(Locale.ROOT, "job %.1f s", job) + (m.note().isEmpty() ? "" : "; " + m.note());
      out.add(new Measurement(m.group(), m.label(), m.baseline(), m.rows(), m.seconds(), m.cpuSeconds(),
          m.peakRssMb(), m.runs(), note));
    }
    return out;
  }

  private Cases.Sample sccCount() {
    String label = "SCC cassandraCount()";
    ChildJvm.Run run = scc("scc-count", List.of("count", BenchTable.KEYSPACE, BenchTable.TABLE), Map.of());
    return sample(label, run, CountSuite.leadingNumber(run.output()), "");
  }

  private Cases.Sample ringsweepCount() {
    String label = "Ringsweep on Spark count";
    ChildJvm.Run run = ringsweep("ringsweep-spark-count", List.of("count", "-k", BenchTable.KEYSPACE, "-t",
        BenchTable.TABLE));
    return sample(label, run, CountSuite.leadingNumber(run.output()), "");
  }

  private Cases.Sample sccExport(Path warehouse) {
    String label = "SCC DataFrame → Iceberg writeTo().append()";
    TransferSuites.clean(warehouse);
    createDirectories(warehouse);
    ChildJvm.Run run = scc("scc-export", List.of("export", BenchTable.KEYSPACE, BenchTable.TABLE,
        CATALOG + "." + ICEBERG_TABLE), catalog(warehouse));
    return sample(label, run, run.exitCode() == 0 ? icebergRows(warehouse) : -1, describe(warehouse));
  }

  private Cases.Sample ringsweepExport(Path warehouse) {
    String label = "Ringsweep on Spark → Iceberg";
    TransferSuites.clean(warehouse);
    ChildJvm.Run run = ringsweep("ringsweep-spark-export", List.of("export", "-k", BenchTable.KEYSPACE, "-t",
        BenchTable.TABLE, "-f", "iceberg", "--target", warehouse.toString(), "--iceberg-table", ICEBERG_TABLE));
    if (run.exitCode() != 0) {
      return sample(label, run, -1, "");
    }
    long committed = icebergRows(warehouse);
    long reported = CountSuite.leadingNumber(run.output());
    if (reported != committed) {
      throw new IllegalStateException(String.format(Locale.ROOT, "%s reported %,d rows, its table holds %,d", label,
          reported, committed));
    }
    return sample(label, run, committed, describe(warehouse));
  }

  private Cases.Sample sccImport(Path source) {
    BenchTable.truncateCopy(ctx.session());
    ChildJvm.Run run = scc("scc-import", List.of("import", CATALOG + "." + ICEBERG_TABLE,
        BenchTable.KEYSPACE, BenchTable.COPY), catalog(source));
    return sample("SCC Iceberg → DataFrame write.format(cassandra)", run,
        run.exitCode() == 0 ? TransferSuites.countCopy(ctx) : -1, "");
  }

  private Cases.Sample ringsweepImport(Path source) {
    BenchTable.truncateCopy(ctx.session());
    ChildJvm.Run run = ringsweep("ringsweep-spark-import", List.of("import", "-k", BenchTable.KEYSPACE, "-t",
        BenchTable.COPY, "-f", "iceberg", "--source", source.toString(), "--iceberg-table", ICEBERG_TABLE));
    return sample("Ringsweep on Spark ← Iceberg", run, run.exitCode() == 0 ? TransferSuites.countCopy(ctx) : -1,
        "");
  }

  /** A checked sample; the job seconds the tool printed are kept for the case's note. */
  private Cases.Sample sample(String label, ChildJvm.Run run, long rows, String note) {
    Cases.Sample sample = Cases.Sample.of(label, run, rows, note);
    jobSeconds.computeIfAbsent(label, k -> new ArrayList<>()).add(reportedSeconds(run.output()));
    return sample;
  }

  private ChildJvm.Run ringsweep(String label, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("-c", ctx.contactPoints().stream().map(a -> a.getAddress().getHostAddress() + ":"
        + a.getPort()).collect(Collectors.joining(",")), "--local-dc", ctx.localDc()));
    return ctx.children().run(label, ringsweepClasspath, RINGSWEEP_MAIN, all, sparkOptions(Map.of()), 60);
  }

  private ChildJvm.Run scc(String label, List<String> args, Map<String, String> conf) {
    InetSocketAddress first = ctx.contactPoints().get(0);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("spark.cassandra.connection.host", ctx.contactPoints().stream()
        .map(a -> a.getAddress().getHostAddress()).collect(Collectors.joining(",")));
    all.put("spark.cassandra.connection.port", String.valueOf(first.getPort()));
    all.put("spark.cassandra.connection.localDC", ctx.localDc());
    all.putAll(conf);
    return ctx.children().run(label, sccClasspath, SccJob.class.getName(), args, sparkOptions(all), 60);
  }

  /** The JVM options of both tools' children: Java 17's opens, the master, loopback, no UI; then {@code conf}. */
  private List<String> sparkOptions(Map<String, String> conf) {
    List<String> options = new ArrayList<>(JAVA_17_OPTIONS);
    options.addAll(List.of("-Dspark.master=" + master, "-Dspark.ui.enabled=false",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1"));
    conf.forEach((k, v) -> options.add("-D" + k + "=" + v));
    return options;
  }

  /** Spark's Iceberg catalog {@value IcebergNames#CATALOG} on the JDBC (SQLite) catalog of a warehouse directory. */
  private static Map<String, String> catalog(Path warehouse) {
    String prefix = "spark.sql.catalog." + CATALOG;
    return Map.of(prefix, "org.apache.iceberg.spark.SparkCatalog", prefix + ".type", "jdbc",
        prefix + ".uri", "jdbc:sqlite:" + warehouse.resolve(IcebergCatalogs.SQLITE_FILE),
        prefix + ".warehouse", warehouse.toString(), prefix + ".cache-enabled", "false");
  }

  /** The rows of the exported table's current snapshot (its metadata's total-records), or -1 if it has none. */
  static long icebergRows(Path warehouse) {
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(ExportTargets.iceberg(warehouse, ICEBERG_TABLE))) {
      Snapshot current = opened.catalog().loadTable(TableIdentifier.parse(ICEBERG_TABLE)).currentSnapshot();
      return current == null ? -1 : Long.parseLong(current.summary().getOrDefault("total-records", "-1"));
    }
  }

  private static String describe(Path warehouse) {
    try (var files = Files.walk(warehouse)) {
      List<Path> data = files.filter(f -> f.toString().endsWith(".parquet")).toList();
      long bytes = data.stream().mapToLong(f -> f.toFile().length()).sum();
      return String.format(Locale.ROOT, "%d data files, %.1f MiB", data.size(), bytes / 1048576.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String heap() {
    return ctx.children().jvmOptions().stream().filter(o -> o.startsWith("-Xmx")).map(o -> o.substring(4))
        .findFirst().orElse("the JVM's default");
  }

  /** Ringsweep's shaded jar, made by {@code package} of {@code src/spark} (path from the bench pom). */
  private static Path shadedJar() {
    String configured = System.getProperty("ringsweep.spark.jar");
    Path jar = configured == null ? null : Path.of(configured);
    if (jar == null || !Files.isRegularFile(jar)) {
      throw new IllegalStateException("Missing the ringsweep-spark shaded jar " + configured + ": build it first "
          + "with 'mvn -q package -pl src/spark -am -DskipTests', then run the harness with "
          + "-Dringsweep.cli.skip=true -Dexec.args=\"--suites spark ...\" (see benchmarks/README.md)");
    }
    Path classes = jar.getParent().resolve("classes");
    try (var files = Files.walk(classes)) {
      long newest = files.mapToLong(f -> f.toFile().lastModified()).max().orElse(0);
      if (newest > jar.toFile().lastModified()) {
        System.out.println("WARNING: " + jar + " is older than " + classes + "; run 'package' to rebuild it");
      }
    } catch (IOException e) {
      // no classes directory: nothing to compare with
    }
    return jar;
  }

  private static Path ownClassesOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classes of " + type.getName(), e);
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir, e);
    }
  }
}
