package dev.ringsweep.bench;

import dev.ringsweep.cluster.CpuList;
import dev.ringsweep.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * The harness's arguments, validated; every error names the argument and the bad value.
 *
 * @param suites suites to run, in this order
 * @param nodes Cassandra nodes: 1 or 3
 * @param rows rows of {@code bench.data}
 * @param subnet the third byte of the nodes' loopback addresses {@code 127.0.<subnet>.x}
 * @param runs runs of each case (medians are reported)
 * @param scalingRows row counts of the scaling suite, growing
 * @param scalingRuns runs of each case of the scaling suite
 * @param formats Ringsweep export/import formats compared with DSBulk's CSV
 * @param scalingFormat the Ringsweep format of the scaling suite
 * @param scalingOps the operations of the scaling suite: count, export, import
 * @param childHeap {@code -Xmx} of every measured child JVM, DSBulk's and Ringsweep's alike
 * @param vnodes {@code num_tokens} of each node
 * @param out directory of the results
 * @param sparkMaster the Spark master of the spark suite's children: {@code local[N]}
 * @param clientCpus the CPUs of the client: the harness's JVM and every child JVM it starts; null: any
 * @param nodeCpus the CPUs of the nodes: one list for all of them, or one per node; empty: any
 * @param nodeGcPauseMillis the G1 pause-time goal of each node, in milliseconds (the launcher's default: 300)
 * @param overloadGroups the groups of the adaptive-overload suite to run, in its order (default: all of
 *     {@link #OVERLOAD_GROUPS})
 * @param overloadReadTimeoutMillis the range reads' client timeout in the adaptive-overload suite, in milliseconds;
 *     0 (the default): measured at the start of the suite, twice a lone range query
 * @param overloadWriteTimeoutMillis the writes' client timeout in the adaptive-overload suite, in milliseconds; 0
 *     (the default): measured at the start of the suite, ten times a lone write
 */
record HarnessArgs(List<String> suites, int nodes, long rows, int subnet, int runs, List<Long> scalingRows,
    int scalingRuns, List<String> formats, String scalingFormat, List<String> scalingOps, String childHeap,
    int vnodes, Path out, String sparkMaster, CpuList clientCpus, List<CpuList> nodeCpus,
    int nodeGcPauseMillis, List<String> overloadGroups, int overloadReadTimeoutMillis,
    int overloadWriteTimeoutMillis) {

  /**
   * The groups of the {@code adaptive-overload} suite, in the order they run: count, export and import on the
   * overloaded nodes, then an import and an export through a brownout of one node. {@code --overload-groups} picks
   * some, for a trial of one operation (its page then holds only those).
   */
  static final List<String> OVERLOAD_GROUPS = List.of("count", "export", "import", "import-brownout",
      "export-brownout");

  /** The suites, in the order they run by default. */
  static final List<String> SUITES = List.of("count", "batch", "export", "import", "types", "scaling");

  /** Suites that run only when named: spark (it downloads Spark and the Spark Cassandra Connector) and adaptive. */
  static final List<String> OPTIONAL_SUITES = List.of("spark", "adaptive", "adaptive-overload");

  /**
   * The node settings of the {@code adaptive-overload} suite, which therefore runs alone: two read and two write
   * threads per node, so that latency grows with every request queued beyond two.
   */
  static final Map<String, String> OVERLOAD_YAML = Map.of("concurrent_reads", "2", "concurrent_writes", "2");

  /**
   * The shortest client timeout {@code --overload-read-timeout} and {@code --overload-write-timeout} take, in
   * milliseconds: the suite's floor for the timeouts it measures, three ticks of the driver's timer there.
   */
  static final int MIN_OVERLOAD_TIMEOUT_MILLIS = 30;

  /** The longest client timeout those options take, in milliseconds: a minute, past any overload worth measuring. */
  static final int MAX_OVERLOAD_TIMEOUT_MILLIS = 60_000;

  /**
   * The nodes' G1 pause-time goal unless {@code --node-gc-pause-goal} sets another, in milliseconds: the launcher's
   * default. A node's pauses time out every request in flight whose client timeout is shorter; the
   * {@code adaptive-overload} suite's timeouts are 30 ms and more, and at this goal the node pauses for 30 to 100 ms
   * several times a run, so its timeouts there are partly the collector's (see that suite's page). With a goal of
   * 10 ms they measure overload.
   */
  static final int DEFAULT_NODE_GC_PAUSE_MILLIS = (int) LocalCluster.DEFAULT_GC_PAUSE_GOAL.toMillis();

  /** Every suite, in the order a results directory's README lists them. */
  static final List<String> ALL_SUITES =
      List.of("count", "batch", "export", "import", "types", "scaling", "spark", "adaptive", "adaptive-overload");

  static final List<String> FORMATS = List.of("parquet", "iceberg", "csv", "json");

  static final List<String> SCALING_OPS = List.of("count", "export", "import");

  static final String USAGE = "Arguments: [--suites count,batch,export,import,types,scaling,spark,adaptive,"
      + "adaptive-overload] [--nodes 1|3] [--rows N] "
      + "[--subnet N] [--runs N] [--scaling-rows N,N...] [--scaling-runs N] [--formats parquet,iceberg,csv] "
      + "[--scaling-format parquet] [--scaling-ops count,export,import] [--child-heap 1g] [--vnodes N] [--out DIR] "
      + "[--spark-master local[2]] [--client-cpus 0] [--node-cpus 1 | 4-7:8-11:12-15] [--node-gc-pause-goal 300] "
      + "[--overload-groups count,export,import,import-brownout,export-brownout] "
      + "[--overload-read-timeout 0] [--overload-write-timeout 0] (milliseconds; 0: measured); "
      + "the spark, adaptive and adaptive-overload suites run only when named "
      + "(--suites spark, --suites adaptive); adaptive-overload runs alone";

  HarnessArgs {
    if (suites.isEmpty()) {
      throw new IllegalArgumentException("Invalid --suites: empty (choose from " + ALL_SUITES + ")");
    }
    if (suites.contains("adaptive-overload") && suites.size() > 1) {
      throw new IllegalArgumentException("Invalid --suites: " + String.join(",", suites) + " (adaptive-overload "
          + "starts its nodes with two read and two write threads, so it runs alone)");
    }
    if (nodes != 1 && nodes != 3) {
      throw new IllegalArgumentException("Invalid --nodes: " + nodes + " (must be 1 or 3)");
    }
    if (rows < 1) {
      throw new IllegalArgumentException("Invalid --rows: " + rows + " (must be > 0)");
    }
    if (subnet < 0 || subnet > 255) {
      throw new IllegalArgumentException("Invalid --subnet: " + subnet + " (must be in 0..255)");
    }
    if (runs < 1 || scalingRuns < 1) {
      throw new IllegalArgumentException("Invalid --runs/--scaling-runs: " + runs + "/" + scalingRuns
          + " (must be > 0)");
    }
    for (int i = 1; i < scalingRows.size(); i++) {
      if (scalingRows.get(i) <= scalingRows.get(i - 1)) {
        throw new IllegalArgumentException("Invalid --scaling-rows: " + scalingRows + " (must grow)");
      }
    }
    if (!scalingRows.isEmpty() && scalingRows.get(0) < rows) {
      throw new IllegalArgumentException("Invalid --scaling-rows: " + scalingRows
          + " (must start at --rows, " + rows + ", or above: the table is grown, never shrunk)");
    }
    if (!childHeap.matches("[0-9]+[mMgG]")) {
      throw new IllegalArgumentException("Invalid --child-heap: " + childHeap + " (e.g. 1g or 768m)");
    }
    if (overloadGroups.isEmpty()) {
      throw new IllegalArgumentException("Invalid --overload-groups: empty (choose from " + OVERLOAD_GROUPS + ")");
    }
    checkOverloadTimeout("--overload-read-timeout", overloadReadTimeoutMillis);
    checkOverloadTimeout("--overload-write-timeout", overloadWriteTimeoutMillis);
    if (nodeGcPauseMillis < 1 || nodeGcPauseMillis > 10_000) {
      throw new IllegalArgumentException("Invalid --node-gc-pause-goal: " + nodeGcPauseMillis
          + " (milliseconds, must be in 1..10000)");
    }
    if (vnodes < 1 || vnodes > 1536) {
      throw new IllegalArgumentException("Invalid --vnodes: " + vnodes + " (must be in 1..1536)");
    }
    if (!sparkMaster.matches("local\\[[1-9][0-9]*\\]")) {
      throw new IllegalArgumentException("Invalid --spark-master: " + sparkMaster
          + " (must be local[N]: the child's CPU time is then the executors')");
    }
    if (nodeCpus.size() > 1 && nodeCpus.size() != nodes) {
      throw new IllegalArgumentException("Invalid --node-cpus: " + join(nodeCpus) + " (" + nodeCpus.size()
          + " CPU lists for " + nodes + " node(s): give one list for all nodes, or one per node, separated by ':')");
    }
    for (int i = 0; i < nodeCpus.size(); i++) {
      for (int j = i + 1; j < nodeCpus.size(); j++) {
        if (nodeCpus.get(i).overlaps(nodeCpus.get(j))) {
          throw new IllegalArgumentException("Invalid --node-cpus: " + join(nodeCpus) + " (" + nodeCpus.get(i)
              + " and " + nodeCpus.get(j) + " overlap: give each node CPUs of its own, or one list for all)");
        }
      }
    }
    if (clientCpus != null) {
      for (CpuList node : nodeCpus) {
        if (clientCpus.overlaps(node)) {
          throw new IllegalArgumentException("Invalid --client-cpus: " + clientCpus + " (overlaps --node-cpus "
              + join(nodeCpus) + ": the client and the nodes get CPUs of their own)");
        }
      }
    }
    suites = List.copyOf(suites);
    nodeCpus = List.copyOf(nodeCpus);
    scalingRows = List.copyOf(scalingRows);
    formats = List.copyOf(formats);
    scalingOps = List.copyOf(scalingOps);
    overloadGroups = OVERLOAD_GROUPS.stream().filter(overloadGroups::contains).toList();
  }

  private static void checkOverloadTimeout(String name, int millis) {
    if (millis != 0 && (millis < MIN_OVERLOAD_TIMEOUT_MILLIS || millis > MAX_OVERLOAD_TIMEOUT_MILLIS)) {
      throw new IllegalArgumentException("Invalid " + name + ": " + millis + " (milliseconds, must be 0 to measure "
          + "it, or in " + MIN_OVERLOAD_TIMEOUT_MILLIS + ".." + MAX_OVERLOAD_TIMEOUT_MILLIS + ")");
    }
  }

  /** Whether the client and the nodes both run on CPUs of their own ({@code --client-cpus} and {@code --node-cpus}). */
  boolean pinned() {
    return clientCpus != null && !nodeCpus.isEmpty();
  }

  /** The node CPU lists as {@code --node-cpus} takes them: {@code 4-7:8-11}. */
  static String join(List<CpuList> lists) {
    return String.join(":", lists.stream().map(CpuList::toString).toList());
  }

  /** Parses {@code --name value} pairs; see {@link #USAGE}. */
  static HarnessArgs parse(String... args) {
    List<String> suites = SUITES;
    int nodes = 1;
    long rows = 1_000_000;
    int subnet = 9;
    int runs = 3;
    List<Long> scalingRows = List.of(1_000_000L, 5_000_000L);
    int scalingRuns = 1;
    List<String> formats = List.of("parquet", "iceberg", "csv");
    String scalingFormat = "parquet";
    List<String> scalingOps = SCALING_OPS;
    String childHeap = "1g";
    int vnodes = 16;
    Path out = null;
    String sparkMaster = "local[2]";
    CpuList clientCpus = null;
    List<CpuList> nodeCpus = List.of();
    int nodeGcPauseMillis = DEFAULT_NODE_GC_PAUSE_MILLIS;
    List<String> overloadGroups = OVERLOAD_GROUPS;
    int overloadReadTimeoutMillis = 0;
    int overloadWriteTimeoutMillis = 0;
    boolean scalingGiven = false;
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value for " + name + ". " + USAGE);
      }
      String value = args[i + 1];
      switch (name) {
        case "--suites" -> suites = choices(name, value, ALL_SUITES);
        case "--nodes" -> nodes = (int) number(name, value);
        case "--rows" -> rows = number(name, value);
        case "--subnet" -> subnet = (int) number(name, value);
        case "--runs" -> runs = (int) number(name, value);
        case "--scaling-rows" -> {
          List<Long> sizes = new ArrayList<>();
          for (String part : value.split(",")) {
            sizes.add(number(name, part.trim()));
          }
          scalingRows = sizes;
          scalingGiven = true;
        }
        case "--scaling-runs" -> scalingRuns = (int) number(name, value);
        case "--formats" -> formats = choices(name, value, FORMATS);
        case "--scaling-format" -> scalingFormat = choices(name, value, FORMATS).get(0);
        case "--scaling-ops" -> scalingOps = choices(name, value, SCALING_OPS);
        case "--child-heap" -> childHeap = value;
        case "--vnodes" -> vnodes = (int) number(name, value);
        case "--out" -> out = Path.of(value);
        case "--spark-master" -> sparkMaster = value;
        case "--client-cpus" -> clientCpus = cpus(name, value);
        case "--node-cpus" -> {
          List<CpuList> lists = new ArrayList<>();
          for (String part : value.split(":", -1)) {
            lists.add(cpus(name, part));
          }
          nodeCpus = lists;
        }
        case "--node-gc-pause-goal" -> nodeGcPauseMillis = clampedInt(number(name, value));
        case "--overload-groups" -> overloadGroups = choices(name, value, OVERLOAD_GROUPS);
        case "--overload-read-timeout" -> overloadReadTimeoutMillis = clampedInt(number(name, value));
        case "--overload-write-timeout" -> overloadWriteTimeoutMillis = clampedInt(number(name, value));
        default -> throw new IllegalArgumentException("Unknown argument: " + name + ". " + USAGE);
      }
    }
    if (!scalingGiven && suites.contains("scaling") && rows > scalingRows.get(0)) {
      scalingRows = List.of(rows, rows * 5);
    }
    if (out == null) {
      // An optional suite run alone goes to a directory of its own (spark-1node-200k, adaptive-1node-100k): its
      // machine notes differ (Spark shares the cores; the adaptive suite sweeps settings).
      String prefix = suites.size() == 1 && OPTIONAL_SUITES.contains(suites.get(0)) ? suites.get(0) + "-" : "";
      // Pinned runs go to a directory of their own too: their figures are not comparable with shared cores'.
      String suffix = clientCpus != null && !nodeCpus.isEmpty() ? "-pinned" : "";
      // So do runs whose nodes pause for another goal: their timeouts differ (see --node-gc-pause-goal).
      if (nodeGcPauseMillis != DEFAULT_NODE_GC_PAUSE_MILLIS) {
        suffix += "-gc" + nodeGcPauseMillis + "ms";
      }
      out = Path.of("benchmarks", "results", prefix + nodes + "node-" + label(rows) + suffix);
    }
    return new HarnessArgs(suites, nodes, rows, subnet, runs, scalingRows, scalingRuns, formats, scalingFormat,
        scalingOps, childHeap, vnodes, out, sparkMaster, clientCpus, nodeCpus, nodeGcPauseMillis,
        overloadGroups, overloadReadTimeoutMillis, overloadWriteTimeoutMillis);
  }

  /** A number clamped into an int, so that a huge value is reported as out of range rather than wrapped around. */
  private static int clampedInt(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  /** A short label of a row count: 20k, 1M, 5M, 1.5M. */
  static String label(long rows) {
    if (rows >= 1_000_000 && rows % 100_000 == 0) {
      return rows % 1_000_000 == 0 ? rows / 1_000_000 + "M" : String.format(Locale.ROOT, "%.1fM", rows / 1e6);
    }
    if (rows >= 1_000 && rows % 1_000 == 0) {
      return rows / 1_000 + "k";
    }
    return String.valueOf(rows);
  }

  private static long number(String name, String value) {
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid " + name + ": '" + value + "' (expected an integer)");
    }
  }

  private static CpuList cpus(String name, String value) {
    try {
      return CpuList.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid " + name + ": " + e.getMessage().substring(
          "Invalid CPU list: ".length()), e);
    }
  }

  private static List<String> choices(String name, String value, List<String> allowed) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (!allowed.contains(p)) {
        throw new IllegalArgumentException("Invalid " + name + ": '" + part.trim() + "' (choose from " + allowed
            + ")");
      }
      chosen.add(p);
    }
    return List.copyOf(chosen);
  }
}
