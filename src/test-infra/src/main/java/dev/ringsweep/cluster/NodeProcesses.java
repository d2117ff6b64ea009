package dev.ringsweep.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps track of the node processes this JVM started, so that none outlives it: a JVM shutdown hook kills those
 * still running, and {@link #killLeftovers(Path)} kills nodes recorded in pid files by an earlier run.
 */
final class NodeProcesses {

  private static final Logger LOG = LoggerFactory.getLogger(NodeProcesses.class);
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Duration HOOK_WAIT = Duration.ofSeconds(10);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(NodeProcesses::killAll, "ringsweep-kill-local-nodes"));
  }

  private NodeProcesses() {}

  /** Records a started node process until it exits. */
  static void register(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
  }

  private static void killAll() {
    List<Process> processes = List.copyOf(LIVE);
    processes.forEach(Process::destroyForcibly);
    long deadline = System.nanoTime() + HOOK_WAIT.toNanos();
    for (Process process : processes) {
      try {
        process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Kills the node processes recorded by {@code node.pid} files anywhere under {@code workDir} (two levels down:
   * {@code <cluster>/<address>/node.pid}) that are still alive, run {@link NodeMain} and were not started by this
   * JVM, and waits for them to exit.
   */
  static void killLeftovers(Path workDir) {
    if (!Files.isDirectory(workDir)) {
      return;
    }
    List<Path> pidFiles;
    try (Stream<Path> paths = Files.find(workDir, 3, (p, a) -> p.getFileName().toString().equals("node.pid"))) {
      pidFiles = paths.collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot scan " + workDir + " for pid files", e);
    }
    for (Path pidFile : pidFiles) {
      readPid(pidFile).flatMap(ProcessHandle::of).filter(NodeProcesses::isOrphanNode).ifPresent(handle -> {
        LOG.warn("Killing leftover Cassandra node (pid {}) recorded in {}", handle.pid(), pidFile);
        handle.destroyForcibly();
        handle.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> handle).join();
      });
    }
  }

  private static boolean isOrphanNode(ProcessHandle handle) {
    boolean ours = handle.parent().map(p -> p.pid() == ProcessHandle.current().pid()).orElse(false);
    boolean node = handle.info().commandLine().map(c -> c.contains(NodeMain.class.getName())).orElse(false);
    return handle.isAlive() && node && !ours;
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
