package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.testing.NodeBrownout;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What every suite needs: the cluster, a session, the tools and the settings of the run.
 *
 * @param session a session of the harness itself (loading, checking counts, in-process counts)
 * @param contactPoints the cluster's CQL addresses
 * @param localDc the local data center
 * @param nodes number of Cassandra nodes
 * @param rows rows in {@code bench.data}
 * @param runs runs per measured case
 * @param children launcher of measured child JVMs
 * @param dsbulk DSBulk, the baseline tool; null when no suite of the run uses it (count, batch, spark)
 * @param workDir scratch directory for exported files
 * @param nodeGcLogs each node's collector log (see {@link GcPauses})
 * @param brownoutNode the node the adaptive-overload suite browns out ({@link NodeBrownout}, over its local JMX
 *     port); null when the cluster opened no JMX ports
 * @param overloadGroups the groups of the adaptive-overload suite to run ({@link HarnessArgs#overloadGroups})
 * @param overloadReadTimeout the adaptive-overload suite's range-read timeout; null: measured by the suite
 * @param overloadWriteTimeout the adaptive-overload suite's write timeout; null: measured by the suite
 * @param out the run's results directory (pages, CSV files, charts, limit traces)
 */
record BenchContext(CqlSession session, List<InetSocketAddress> contactPoints, String localDc, int nodes, long rows,
    int runs, ChildJvm children, DsBulk dsbulk, Path workDir, List<Path> nodeGcLogs,
    LocalNode brownoutNode, List<String> overloadGroups, Duration overloadReadTimeout,
    Duration overloadWriteTimeout, Path out) {

  /** The main class of the Ringsweep command line, run in child JVMs exactly as a user runs it. */
  static final String RINGSWEEP_MAIN = "dev.ringsweep.cli.Main";

  /** The same context with another row count (the scaling suite grows the table). */
  BenchContext withRows(long newRows) {
    return new BenchContext(session, contactPoints, localDc, nodes, newRows, runs, children, dsbulk, workDir,
        nodeGcLogs, brownoutNode, overloadGroups, overloadReadTimeout, overloadWriteTimeout, out);
  }

  /** The same context with another number of runs. */
  BenchContext withRuns(int newRuns) {
    return new BenchContext(session, contactPoints, localDc, nodes, rows, newRuns, children, dsbulk, workDir,
        nodeGcLogs, brownoutNode, overloadGroups, overloadReadTimeout, overloadWriteTimeout, out);
  }

  /** Arguments of a Ringsweep CLI subcommand, with this cluster's connection options and no progress bars. */
  List<String> ringsweep(String subcommand, String... args) {
    List<String> all = new ArrayList<>(List.of(subcommand));
    all.addAll(List.of(args));
    all.addAll(List.of("--contact-points", contactPoints.stream()
        .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).collect(Collectors.joining(",")),
        "--local-dc", localDc, "--no-progress"));
    return all;
  }

  /** Runs the Ringsweep CLI in a measured child JVM. */
  ChildJvm.Run runRingsweep(String label, List<String> args, long timeoutMinutes) {
    return children.run(label, ChildJvm.ownClasspath(), RINGSWEEP_MAIN, args, List.of(), timeoutMinutes);
  }

  /** Runs DSBulk in a measured child JVM. */
  ChildJvm.Run runDsBulk(String label, List<String> args, long timeoutMinutes) {
    return children.run(label, dsbulk.classpath(), DsBulk.MAIN_CLASS, args, List.of(), timeoutMinutes);
  }
}
