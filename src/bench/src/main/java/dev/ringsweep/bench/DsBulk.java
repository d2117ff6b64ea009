package dev.ringsweep.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DataStax Bulk Loader (DSBulk), the baseline of the export, import and count benchmarks, run from its Maven Central
 * modules in a child JVM of its own. Its classpath is resolved apart from this project's ({@link MavenClasspath}: a
 * pom of DSBulk's modules handed to {@code mvn dependency:build-classpath}) and cached in
 * {@code ~/.cache/ringsweep/dsbulk-<version>.classpath}.
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

  private static List<Path> resolveClasspath() {
    try (InputStream in = DsBulk.class.getResourceAsStream("dsbulk-classpath-pom.xml")) {
      if (in == null) {
        throw new IllegalStateException("Missing resource dev/ringsweep/bench/dsbulk-classpath-pom.xml");
      }
      return MavenClasspath.resolve("dsbulk-" + VERSION, new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("@DSBULK_VERSION@", VERSION));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read dsbulk-classpath-pom.xml", e);
    }
  }
}
