package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.ringsweep.DriverSettings;
import dev.ringsweep.cluster.CpuList;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.cluster.ServerClasspath;
import dev.ringsweep.cluster.SstableTasks;
import dev.ringsweep.testing.WholeRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark harness: starts a local Cassandra cluster (1 or 3 nodes), loads {@code bench.data}, runs the chosen
 * suites and writes markdown, CSV and PNG charts into {@code benchmarks/results/<nodes>node-<rows>/}. Not a test;
 * benchmarks/README.md says how to run it ({@code mvn exec:java} in test scope). Arguments: {@link HarnessArgs}.
 */
public final class Harness {

  private Harness() {}

  /** Entry point. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    HarnessArgs a;
    try {
      a = HarnessArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("harness: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      status = run(a);
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.err.println("harness: " + e.getMessage());
      status = 1;
    }
    System.exit(status);
  }

  private static int run(HarnessArgs a) {
    Instant started = Instant.now();
    String machine = Machine.describe();
    pinClient(a);
    Path workDir = Path.of("target", "bench-work").toAbsolutePath();
    int heap = a.nodes() == 1 ? 1024 : 768;
    List<String> failures = new ArrayList<>();
    double loadSeconds;
    LocalCluster.Builder nodes = LocalCluster.builder().dataCenter("dc1", a.nodes()).numTokens(a.vnodes())
        .subnet(a.subnet()).clusterName("bench" + a.nodes()).heapMegabytes(heap)
        .gcPauseGoal(Duration.ofMillis(a.nodeGcPauseMillis()))
        .yaml("write_request_timeout", "10000ms")
        // With Cassandra's default read (5 s), range (10 s) and native request (12 s) timeouts, SELECT count(*)
        // of 1M rows often fails here, which would leave the count suite without a baseline time.
        .yaml("read_request_timeout", "120000ms")
        .yaml("range_request_timeout", "120000ms")
        .yaml("native_transport_timeout", "120000ms")
        .workDir(Path.of("target", "bench-cluster"));
    boolean overload = a.suites().contains("adaptive-overload");
    if (overload) {
      HarnessArgs.OVERLOAD_YAML.forEach(nodes::yaml);
      nodes.localJmx(); // the suite browns a node out (NodeBrownout)
    }
    if (!a.nodeCpus().isEmpty()) {
      nodes.nodeCpus(a.nodeCpus());
    }
    String cpus = null;
    try (LocalCluster cluster = awaitRing(nodes.build().start());
        CqlSession session = CqlSession.builder().addContactPoints(cluster.contactPoints())
            .withLocalDatacenter(cluster.firstDataCenter())
            .withConfigLoader(DriverSettings.promptClose(DriverConfigLoader.programmaticBuilder())
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withBoolean(DefaultDriverOption.REQUEST_LOG_WARNINGS, false) // large batches make the server warn
                .build())
            .build()) {
      cpus = cpuNote(a, cluster);
      if (cpus != null) {
        System.out.print(cpus);
      }
      Cases.serverCpuSeconds = () -> cluster.nodes().stream()
          .mapToDouble(n -> n.cpuTime().map(d -> d.toNanos() / 1e9).orElse(Double.NaN)).sum();
      System.out.printf(Locale.ROOT, "Loading %,d rows into bench.data…%n", a.rows());
      long t0 = System.nanoTime();
      BenchTable.create(session, 1);
      BenchTable.insert(session, 0, a.rows());
      loadSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "Loaded in %.1f s; waited %.1f s for compactions to finish%n", loadSeconds,
          SstableTasks.awaitIdle(session, null, Duration.ofMinutes(10)).toMillis() / 1e3);
      ChildJvm children = new ChildJvm(workDir, List.of("-Xmx" + a.childHeap()));
      // DSBulk's classpath is resolved (and downloaded, the first time) only for the suites that run it.
      DsBulk dsbulk = a.suites().stream().anyMatch(List.of("export", "import", "types", "scaling")::contains)
          ? DsBulk.connect(cluster.contactPoints().get(0), cluster.firstDataCenter(), workDir.resolve("dsbulk-logs"))
          : null;
      BenchContext ctx = new BenchContext(session, cluster.contactPoints(), cluster.firstDataCenter(), a.nodes(),
          a.rows(), a.runs(), children, dsbulk, workDir, cluster.nodes().stream().map(LocalNode::gcLogFile).toList(),
          overload ? cluster.nodes().get(0) : null, a.overloadGroups(), millisOrNull(a.overloadReadTimeoutMillis()),
          millisOrNull(a.overloadWriteTimeoutMillis()), a.out());
      for (String name : a.suites()) {
        String suiteLoad = Machine.loadAverage().orElse("?");
        Instant suiteStart = Instant.now();
        System.out.println("== suite " + name + " (load average " + suiteLoad + ")");
        try {
          Suite suite = switch (name) {
            case "count" -> CountSuite.run(ctx);
            case "batch" -> BatchSuite.run(ctx);
            case "export" -> TransferSuites.export(ctx, a.formats());
            case "import" -> TransferSuites.importing(ctx, a.formats());
            case "types" -> TransferSuites.types(ctx, a.formats());
            case "scaling" -> ScalingSuite.run(ctx.withRuns(a.scalingRuns()), a.scalingRows(), a.scalingFormat(),
                a.scalingOps());
            case "spark" -> SparkSuite.run(ctx, a.sparkMaster());
            case "adaptive" -> AdaptiveSuite.run(ctx);
            case "adaptive-overload" -> AdaptiveSuite.runOverloaded(ctx);
            default -> throw new IllegalArgumentException("Unknown suite: " + name);
          };
          Report.write(a.out().resolve(suite.name() + ".csv"), Report.csv(suite));
          String stamp = String.format(Locale.ROOT, "_Measured %s (load average at the start: %s) by `%s`._%n%n",
              suiteStart.truncatedTo(ChronoUnit.SECONDS), suiteLoad, commandLine(a));
          List<String> charts = List.of();
          try {
            charts = Charts.suite(suite, a.out(), String.format(Locale.ROOT, "%d node(s)", a.nodes()));
          } catch (RuntimeException e) {
            e.printStackTrace();
            failures.add("the charts of **" + name + "** failed: " + e.getMessage());
          }
          String section = Report.markdown(suite, charts);
          int heading = section.indexOf("\n\n") + 2;
          Report.write(a.out().resolve(suite.name() + ".md"), section.substring(0, heading) + stamp
              + section.substring(heading));
        } catch (RuntimeException e) {
          e.printStackTrace();
          failures.add("**" + name + "** failed: " + e.getMessage().lines().findFirst().orElse(""));
        }
      }
    }
    List<Suite> measured = new ArrayList<>();
    for (String name : HarnessArgs.ALL_SUITES) {
      Path csv = a.out().resolve(name + ".csv");
      if (Files.isRegularFile(csv)) {
        measured.add(Report.readCsv(name, read(csv)));
      }
    }
    String headline = Headline.write(measured, a.out().resolve("headline.png"), a);
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "# Ringsweep benchmarks: %d node(s), %,d rows%n%n", a.nodes(), a.rows()));
    md.append("Last run on ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" with `")
        .append(commandLine(a)).append("`; took ").append(Duration.between(started, Instant.now()).toMinutes())
        .append(" min.\n\n");
    md.append("## Machine\n\n").append(machine);
    md.append(String.format(Locale.ROOT, "- Cassandra %s: %d node(s) on this same machine (loopback 127.0.%d.x), "
            + "%d vnodes each, %d MiB heap each (G1, pause-time goal %d ms), write_request_timeout 10 s (default 2 s: "
            + "a busy 2-core machine), read, range and native request "
            + "timeouts 120 s (so that SELECT count(*) can finish), other "
        + "settings the launcher's defaults%s; keyspace with replication factor 1%n",
        ServerClasspath.configuredVersion(), a.nodes(), a.subnet(), a.vnodes(), heap, a.nodeGcPauseMillis(),
        a.suites().contains("adaptive-overload") ? " but " + HarnessArgs.OVERLOAD_YAML : ""));
    md.append(String.format(Locale.ROOT, "- Measured tools each in a child JVM with `-Xmx%s`: %s; wall time from "
        + "the harness, CPU time (user + system) and peak RSS (VmHWM) from the child itself%n", a.childHeap(),
        a.suites().equals(List.of("spark"))
            ? String.format(Locale.ROOT, "Spark %s `%s` with Ringsweep on Spark (its spark-submit jar) or the Spark "
                + "Cassandra Connector %s", SparkSuite.SPARK_VERSION, a.sparkMaster(), SparkSuite.SCC_VERSION)
            : "DSBulk " + DsBulk.VERSION + " and the Ringsweep command line"));
    md.append(String.format(Locale.ROOT, "- Table `bench.data`: 11 columns (bigint, int, 2 × text, double, decimal, "
        + "boolean, timestamp, date, uuid, set<text>), 4 rows per partition; loaded in %.0f s%n", loadSeconds));
    if (cpus != null) {
      md.append(cpus);
    }
    md.append(a.pinned()
        ? "- The client and the server(s) run on CPUs of their own (above): client CPU is not taken from the "
            + "server's, but each side has only its own CPUs. "
        : "- The client and the server(s) share the same cores: client CPU is taken from the server's, so these "
            + "figures understate what either side does on separate machines. ");
    md.append("\"Cassandra CPU\" in a note is the CPU time all nodes used during a run (median), read from the "
        + "operating system.\n\n");
    if (headline != null) {
      md.append("![headline](").append(headline).append(")\n\n");
    }
    for (String failure : failures) {
      md.append("- ").append(failure).append('\n');
    }
    if (!failures.isEmpty()) {
      md.append('\n');
    }
    md.append("Each suite below says when and how it was measured; a results directory may hold suites of several "
        + "runs of the harness with the same nodes and rows.\n\n");
    for (String name : HarnessArgs.ALL_SUITES) {
      Path section = a.out().resolve(name + ".md");
      if (Files.isRegularFile(section)) {
        md.append(read(section));
      }
    }
    Path page = a.out().resolve("README.md");
    Report.write(page, Report.keepingHandWritten(Files.isRegularFile(page) ? read(page) : null, md.toString()));
    System.out.println("Results written to " + a.out().toAbsolutePath());
    return failures.isEmpty() ? 0 : 1;
  }

  /**
   * Pins this JVM (the client: the harness and, since children inherit it, every JVM it starts) to
   * {@code --client-cpus}, after checking that this process may use every CPU named by {@code --client-cpus} and
   * {@code --node-cpus}.
   */
  /**
   * {@code cluster}, once a new session sees its whole ring (a session opened as soon as the last node serves CQL
   * could miss a node for good, see {@link WholeRing}); a cluster that is not seen whole is closed and the run fails.
   */
  private static LocalCluster awaitRing(LocalCluster cluster) {
    boolean whole = WholeRing.await("the benchmark cluster", () -> CqlSession.builder()
        .addContactPoints(cluster.contactPoints()).withLocalDatacenter(cluster.firstDataCenter())
        .withConfigLoader(DriverSettings.promptClose(DriverConfigLoader.programmaticBuilder()).build()).build(),
        cluster.nodes().size(), WholeRing.DEFAULT_TIMEOUT);
    if (!whole) {
      cluster.close();
      throw new IllegalStateException("The benchmark cluster's " + cluster.nodes().size() + " nodes did not all show "
          + "with their tokens within " + WholeRing.DEFAULT_TIMEOUT.toSeconds() + " s; its nodes' logs are under "
          + cluster.directory());
    }
    return cluster;
  }

  private static void pinClient(HarnessArgs a) {
    if (a.clientCpus() == null && a.nodeCpus().isEmpty()) {
      return;
    }
    long pid = ProcessHandle.current().pid();
    CpuList allowed = CpuList.ofProcess(pid).orElseThrow(() -> new IllegalStateException(
        "Cannot pin the client or the nodes to CPUs: /proc/" + pid + "/status does not say which CPUs this "
            + "process may use (Linux only)"));
    List<CpuList> named = new ArrayList<>(a.nodeCpus());
    if (a.clientCpus() != null) {
      named.add(0, a.clientCpus());
    }
    for (CpuList list : named) {
      if (!list.isWithin(allowed)) {
        throw new IllegalArgumentException(String.format("Invalid %s: %s (this process may use CPUs %s only)",
            list == a.clientCpus() ? "--client-cpus" : "--node-cpus", list, allowed));
      }
    }
    if (a.clientCpus() != null) {
      a.clientCpus().pin(pid);
    }
  }

  /** Where the client and the nodes run, as the operating system reports it; null when nothing was pinned. */
  private static String cpuNote(HarnessArgs a, LocalCluster cluster) {
    if (a.clientCpus() == null && a.nodeCpus().isEmpty()) {
      return null;
    }
    StringBuilder readBack = new StringBuilder("the harness ")
        .append(CpuList.ofProcess(ProcessHandle.current().pid()).map(CpuList::toString).orElse("?"));
    for (LocalNode node : cluster.nodes()) {
      readBack.append(", ").append(node.address().getHostAddress()).append(' ')
          .append(node.cpus().map(CpuList::toString).orElse("?"));
    }
    return String.format(Locale.ROOT, "- CPUs: the client (the harness's JVM, and every measured child JVM, which "
        + "inherits its CPUs) on %s, the node(s) on %s, set with `taskset`; read back from the operating system: "
        + "%s%n", a.clientCpus() == null ? "any CPU" : "CPU(s) " + a.clientCpus(),
        a.nodeCpus().isEmpty() ? "any CPU" : "CPU(s) " + HarnessArgs.join(a.nodeCpus()), readBack);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static String commandLine(HarnessArgs a) {
    return String.format(Locale.ROOT, "--suites %s --nodes %d --rows %d --runs %d --scaling-rows %s "
            + "--scaling-runs %d --scaling-ops %s --formats %s --child-heap %s --vnodes %d%s",
        String.join(",", a.suites()), a.nodes(), a.rows(), a.runs(),
        String.join(",", a.scalingRows().stream().map(String::valueOf).toList()), a.scalingRuns(),
        String.join(",", a.scalingOps()), String.join(",", a.formats()), a.childHeap(), a.vnodes(),
        a.suites().contains("spark") ? " --spark-master " + a.sparkMaster() : "")
        + (a.clientCpus() == null ? "" : " --client-cpus " + a.clientCpus())
        + (a.nodeCpus().isEmpty() ? "" : " --node-cpus " + HarnessArgs.join(a.nodeCpus()))
        + (a.nodeGcPauseMillis() == HarnessArgs.DEFAULT_NODE_GC_PAUSE_MILLIS ? ""
            : " --node-gc-pause-goal " + a.nodeGcPauseMillis())
        + (a.overloadGroups().equals(HarnessArgs.OVERLOAD_GROUPS) ? ""
            : " --overload-groups " + String.join(",", a.overloadGroups()))
        + (a.overloadReadTimeoutMillis() == 0 ? "" : " --overload-read-timeout " + a.overloadReadTimeoutMillis())
        + (a.overloadWriteTimeoutMillis() == 0 ? "" : " --overload-write-timeout " + a.overloadWriteTimeoutMillis());
  }

  /** A duration of {@code millis}, or null for 0 (not set). */
  private static Duration millisOrNull(int millis) {
    return millis == 0 ? null : Duration.ofMillis(millis);
  }
}
