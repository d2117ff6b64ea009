package dev.ringsweep.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * DataStax Bulk Loader (DSBulk), the baseline of the export, import and count benchmarks, run from its Maven Central
 * modules in a child JVM of its own. Its classpath is resolved apart from this project's (a generated pom handed to
 * {@code mvn dependency:build-classpath}, as {@code dev.ringsweep.cluster.ServerClasspath} does for Cassandra) and
 * cached in {@code ~/.cache/ringsweep/dsbulk-<version>.classpath}.
 */
final class DsBulk {

  /** The DSBulk release benchmarked. */
  static final String VERSION = "1.10.0";

  /** DSBulk's main class (what its {@code bin/dsbulk} script runs). */
  static final String MAIN_CLASS = "com.datastax.oss.dsbulk.runner.DataStaxBulkLoader";

  private final List<Path> classpath;
  private final InetSocketAddress contactPoint;
  private final String localDc;
  private final Path logDir;

  private DsBulk(List<Path> classpath, InetSocketAddress contactPoint, String localDc, Path logDir) {
    this.classpath = classpath;
    this.contactPoint = contactPoint;
    this.localDc = localDc;
    this.logDir = logDir;
  }

  /** DSBulk against one contact point; resolves its classpath with Maven on first use. */
  static DsBulk connect(InetSocketAddress contactPoint, String localDc, Path logDir) {
    return new DsBulk(resolveClasspath(), contactPoint, localDc, logDir);
  }

  /** The jars DSBulk runs with. */
  List<Path> classpath() {
    return classpath;
  }

  /** {@code dsbulk unload -k ks -t table -url dir} (CSV with a header, DSBulk's defaults otherwise). */
  List<String> unload(String keyspace, String table, Path directory) {
    return command("unload", keyspace, table, "-url", directory.toString());
  }

  /** {@code dsbulk load -k ks -t table -url dir} (CSV with a header, DSBulk's defaults otherwise). */
  List<String> load(String keyspace, String table, Path directory) {
    return command("load", keyspace, table, "-url", directory.toString());
  }

  private List<String> command(String workflow, String keyspace, String table, String... more) {
    List<String> args = new ArrayList<>(List.of(workflow,
        "-h", contactPoint.getAddress().getHostAddress(), "-port", String.valueOf(contactPoint.getPort()),
        "-dc", localDc, "-k", keyspace, "-t", table, "-logDir", logDir.toString()));
    args.addAll(List.of(more));
    return args;
  }

  private static synchronized List<Path> resolveClasspath() {
    Path cache = Paths.get(System.getProperty("user.home"), ".cache", "ringsweep", "dsbulk-" + VERSION + ".classpath");
    try {
      if (Files.isRegularFile(cache)) {
        List<Path> jars = parse(Files.readString(cache));
        if (!jars.isEmpty() && jars.stream().allMatch(Files::isRegularFile)) {
          return jars;
        }
      }
      Path dir = Files.createTempDirectory("ringsweep-dsbulk-classpath");
      Path pom = dir.resolve("pom.xml");
      try (InputStream in = DsBulk.class.getResourceAsStream("dsbulk-classpath-pom.xml")) {
        if (in == null) {
          throw new IllegalStateException("Missing resource dev/ringsweep/bench/dsbulk-classpath-pom.xml");
        }
        Files.writeString(pom, new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@DSBULK_VERSION@",
            VERSION));
      }
      Path output = dir.resolve("classpath.txt");
      Path log = dir.resolve("maven.log");
      Process mvn = new ProcessBuilder(maven(), "-q", "-B", "-f", pom.toString(), "dependency:build-classpath",
          "-Dmdep.outputFile=" + output).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!mvn.waitFor(15, TimeUnit.MINUTES) || mvn.exitValue() != 0 || !Files.isRegularFile(output)) {
        mvn.destroyForcibly();
        throw new IllegalStateException("Maven could not resolve DSBulk " + VERSION + "'s classpath; see " + log);
      }
      String classpath = Files.readString(output);
      List<Path> jars = parse(classpath);
      Files.createDirectories(cache.getParent());
      Path tmp = Files.createTempFile(cache.getParent(), "dsbulk", ".tmp");
      Files.writeString(tmp, classpath);
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot resolve DSBulk's classpath", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while resolving DSBulk's classpath", e);
    }
  }

  private static List<Path> parse(String classpath) {
    List<Path> jars = new ArrayList<>();
    for (String entry : classpath.trim().split(Pattern.quote(java.io.File.pathSeparator))) {
      if (!entry.isBlank()) {
        jars.add(Paths.get(entry.trim()));
      }
    }
    return jars;
  }

  private static String maven() {
    for (String home : new String[] {System.getProperty("maven.home"), System.getenv("MAVEN_HOME")}) {
      if (home != null && Files.isExecutable(Paths.get(home, "bin", "mvn"))) {
        return Paths.get(home, "bin", "mvn").toString();
      }
    }
    return "mvn";
  }
}
