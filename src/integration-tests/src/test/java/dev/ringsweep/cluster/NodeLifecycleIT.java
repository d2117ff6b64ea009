package dev.ringsweep.cluster;

import dev.ringsweep.testing.TestClusters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No node outlives its launcher, and a node that cannot start fails loudly. Host indexes 6 and 7. */
class NodeLifecycleIT {

  @org.junit.jupiter.api.BeforeAll
  static void needsChildJvms() {
    TestClusters.assumeChildJvms("start, kill and restart nodes of its own");
  }

  private static final int SUBNET = Integer.getInteger(LocalCluster.SUBNET_PROPERTY, 0);
  private static final Path WORK_DIR = Path.of(System.getProperty(LocalCluster.WORK_DIR_PROPERTY, "target/cluster"));

  @Test
  void should_halt_a_node_whose_launching_jvm_was_killed() throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "-cp", System.getProperty("java.class.path"),
        "-D" + ServerClasspath.VERSION_PROPERTY + "=" + ServerClasspath.configuredVersion()));
    if (System.getProperty("maven.home") != null) {
      command.add("-Dmaven.home=" + System.getProperty("maven.home"));
    }
    command.addAll(List.of(OrphanParentMain.class.getName(), WORK_DIR.toAbsolutePath().toString(),
        Integer.toString(SUBNET), "6"));
    Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      awaitReady(parent);
      Path nodeDir = WORK_DIR.resolve("orphan").resolve(LocalCluster.address(SUBNET, 6).getHostAddress());
      long nodePid = Long.parseLong(Files.readString(nodeDir.resolve("node.pid")).trim());
      ProcessHandle node = ProcessHandle.of(nodePid).orElseThrow();
      assertThat(node.parent().map(ProcessHandle::pid)).contains(parent.pid());

      parent.destroyForcibly().waitFor();

      assertThat(node.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      assertThat(Files.readString(nodeDir.resolve("logs/output.log")))
          .contains("ringsweep: parent process " + parent.pid() + " exited; halting the node");
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void should_kill_an_orphan_recorded_in_a_pid_file_but_not_its_own_children(@TempDir Path workDir) throws Exception {
    Path sleeper = workDir.resolve("Sleeper.java");
    Files.writeString(sleeper, "class Sleeper { public static void main(String[] a) throws Exception {"
        + " Thread.sleep(300_000); } }");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process shell = new ProcessBuilder("sh", "-c",
        "'" + java + "' '" + sleeper + "' " + NodeMain.class.getName() + " >/dev/null 2>&1 & echo $!").start();
    long orphanPid = Long.parseLong(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    shell.waitFor();
    ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
    Process child = new ProcessBuilder(java, sleeper.toString(), NodeMain.class.getName()).start();
    try {
      writePid(workDir.resolve("old/127.0.0.1/node.pid"), orphanPid);
      writePid(workDir.resolve("current/127.0.0.2/node.pid"), child.pid());
      awaitCommandLine(orphan);

      NodeProcesses.killLeftovers(workDir);

      assertThat(orphan.isAlive()).isFalse();
      assertThat(child.isAlive()).isTrue();
    } finally {
      orphan.destroyForcibly();
      child.destroyForcibly();
    }
  }

  @Test
  void should_report_the_address_and_log_of_a_node_that_fails_to_start() {
    LocalCluster cluster = LocalCluster.builder().clusterName("broken").firstHostIndex(7)
        .yaml("num_tokens", "not-a-number").build();

    IllegalStateException failure = catchThrowableOfType(IllegalStateException.class, cluster::start);

    assertThat(failure).hasMessageStartingWith(
        "Cassandra node " + LocalCluster.address(SUBNET, 7).getHostAddress() + " exited with code");
    assertThat(failure.getMessage())
        .contains("Errors in " + cluster.nodes().get(0).logFile())
        .contains("Exception encountered during startup")
        .contains("Invalid yaml")
        .contains("Caused by: org.yaml.snakeyaml.constructor.ConstructorException: Cannot create property=num_tokens")
        .contains("Last lines of " + cluster.nodes().get(0).logFile());
    assertThat(cluster.nodes().get(0).isRunning()).isFalse();
  }

  private static void awaitReady(Process parent) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals(OrphanParentMain.READY)) {
        return;
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("The parent JVM exited before its node was ready:\n" + seen);
  }

  private static void awaitCommandLine(ProcessHandle process) throws InterruptedException {
    for (int i = 0; i < 100 && process.info().commandLine().isEmpty(); i++) {
      Thread.sleep(50);
    }
  }

  private static void writePid(Path pidFile, long pid) throws IOException {
    Files.createDirectories(pidFile.getParent());
    Files.writeString(pidFile, Long.toString(pid));
  }
}
