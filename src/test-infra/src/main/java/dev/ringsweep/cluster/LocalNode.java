package dev.ringsweep.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a {@link LocalCluster}: a Cassandra server in its own child JVM, listening on its own loopback address
 * (CQL on port {@value NodeConfig#NATIVE_PORT}). Its files live in {@link #directory()}; its data survives
 * {@link #stop()}, {@link #kill()} and {@link #start()}, so a restarted node rejoins with its data.
 *
 * <p>Thread-safe: the lifecycle methods are synchronized.
 */
public final class LocalNode {

  /** The server system property that opens a node's JMX port on the loopback address only. */
  static final String JMX_LOCAL_PORT_PROPERTY = "cassandra.jmx.local.port";

  private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
  private static final String READY_LINE = "Startup complete";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final int LOG_TAIL_LINES = 30;
  private static final Duration PORT_WAIT = Duration.ofSeconds(60);

  private final NodeConfig config;
  private final Supplier<List<Path>> serverJars;
  private final Path launcherClasses;
  private final Duration startTimeout;
  private Process process;
  private long startOffset;

  LocalNode(NodeConfig config, Supplier<List<Path>> serverJars, Path launcherClasses, Duration startTimeout) {
    this.config = config;
    this.serverJars = serverJars;
    this.launcherClasses = launcherClasses;
    this.startTimeout = startTimeout;
  }

  /** The node's loopback address (listen, broadcast and CQL address). */
  public InetAddress address() {
    return config.address();
  }

  /**
   * The node's JMX port on the loopback address ({@code 127.0.0.1}, whatever the node's own address), if the cluster
   * was built with {@link LocalCluster.Builder#localJmx()}.
   */
  public OptionalInt jmxPort() {
    String port = config.systemProperties().get(JMX_LOCAL_PORT_PROPERTY);
    return port == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port));
  }

  /** The address and port clients connect to with CQL. */
  public InetSocketAddress nativeAddress() {
    return new InetSocketAddress(config.address(), NodeConfig.NATIVE_PORT);
  }

  /** The data center of this node. */
  public String dataCenter() {
    return config.dataCenter();
  }

  /** The rack of this node. */
  public String rack() {
    return config.rack();
  }

  /** The node's directory: {@code conf/}, {@code data/}, {@code logs/} and {@code node.pid}. */
  public Path directory() {
    return config.directory();
  }

  /** The server's log ({@code logs/system.log}). */
  public Path logFile() {
    return config.logFile();
  }

  /** The collector's log ({@code logs/gc.log}): one line per collection, with its pause. */
  public Path gcLogFile() {
    return config.gcLogFile();
  }

  /** The JVM's standard output and error ({@code logs/output.log}): JVM start failures show up here. */
  public Path outputFile() {
    return config.outputFile();
  }

  /**
   * CPU time (user + system, all threads) the node's current JVM has used, as the operating system reports it; empty
   * when the node never started or the platform does not say. Restarting the node starts it from zero again.
   */
  public synchronized Optional<Duration> cpuTime() {
    return process == null ? Optional.empty() : process.info().totalCpuDuration();
  }

  /**
   * The CPUs the node's running JVM may use, as the operating system reports them ({@code Cpus_allowed_list});
   * empty when it is not running or the platform does not say.
   */
  public synchronized Optional<CpuList> cpus() {
    return isRunning() ? CpuList.ofProcess(process.pid()) : Optional.empty();
  }

  /** Whether the node's JVM is running (it may still be starting or stopping). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the node, or restarts it after {@link #stop()} or {@link #kill()}, keeping its data, and waits until its
   * log says the startup is complete and its CQL port accepts connections. Does nothing if it is running.
   *
   * @throws IllegalStateException if its cluster was never started, if another process keeps listening on its CQL
   *     or internode port for 60 s, or if the node exits or is not ready within the start timeout (it is then
   *     killed); the message names the address and shows the errors and the last lines of its logs
   */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    if (!Files.isRegularFile(config.confDirectory().resolve("cassandra.yaml"))) {
      throw new IllegalStateException(String.format(
          "Node %s has no configuration yet: start its cluster first (LocalCluster.start())", config.host()));
    }
    awaitFreePorts();
    startOffset = size(logFile());
    List<String> command = config.command(ServerJava.executable(), launcherClasses, serverJars.get(),
        ProcessHandle.current().pid());
    try {
      Files.createDirectories(outputFile().getParent());
      process = new ProcessBuilder(command)
          .directory(directory().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile().toFile()))
          .start();
      NodeProcesses.register(process);
      Files.writeString(config.pidFile(), Long.toString(process.pid()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Cassandra node at " + config.host(), e);
    }
    LOG.info("Starting Cassandra node {} ({}, pid {}), log: {}",
        config.host(), dataCenter(), process.pid(), logFile());
    awaitReady(startOffset);
    LOG.info("Cassandra node {} is up", config.host());
  }

  private void awaitReady(long logOffset) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw failure("exited with code " + process.exitValue() + " while starting");
      }
      if (logContains(logOffset, READY_LINE) && acceptsCql()) {
        return;
      }
      sleep(250);
    }
    process.destroyForcibly();
    throw failure("did not start within " + startTimeout.toSeconds() + " s (killed)");
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException(String.format(
        "Cassandra node %s %s.%nErrors in %s:%n%s%nLast lines of %s:%n%s%nLast lines of %s:%n%s",
        config.host(), what, logFile(), errorSummary(logFile(), startOffset), logFile(),
        tail(logFile(), LOG_TAIL_LINES), outputFile(), tail(outputFile(), 10)));
  }

  private boolean acceptsCql() {
    return listening(nativeAddress());
  }

  /**
   * Waits until no process listens on this node's CQL or internode port any more (a node of another cluster at the
   * same address, still stopping), so that the node does not fail to bind; fails naming the port if one stays taken.
   */
  private void awaitFreePorts() {
    List<InetSocketAddress> ports = List.of(nativeAddress(),
        new InetSocketAddress(config.address(), NodeConfig.STORAGE_PORT));
    long deadline = System.nanoTime() + PORT_WAIT.toNanos();
    boolean warned = false;
    while (true) {
      Optional<InetSocketAddress> taken = ports.stream().filter(LocalNode::listening).findFirst();
      if (taken.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(String.format(
            "Cannot start the Cassandra node at %s: another process still listens on %s after %d s (a node of "
                + "another cluster at the same address? Use another subnet or stop it)",
            config.host(), taken.get(), PORT_WAIT.toSeconds()));
      }
      if (!warned) {
        LOG.warn("Another process listens on {}; waiting up to {} s for it to go before starting node {}",
            taken.get(), PORT_WAIT.toSeconds(), config.host());
        warned = true;
      }
      sleep(500);
    }
  }

  private static boolean listening(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean logContains(long offset, String text) {
    try (SeekableByteChannel channel = Files.newByteChannel(logFile())) {
      long length = channel.size() - offset;
      if (length <= 0) {
        return false;
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, Integer.MAX_VALUE - 8));
      channel.position(offset);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // Read up to the end of the file as it was.
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits until the server's log contains {@code text}.
   *
   * @throws IllegalStateException if the node exits or the text does not show up within {@code timeout}
   */
  synchronized void awaitLog(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!logContains(0, text)) {
      if (!isRunning()) {
        throw failure("exited while waiting for '" + text + "' in its log");
      }
      if (System.nanoTime() > deadline) {
        throw failure("did not log '" + text + "' within " + timeout.toSeconds() + " s");
      }
      sleep(100);
    }
  }

  /**
   * Stops the node gracefully (SIGTERM: Cassandra drains and exits), and kills it if it has not exited after 60 s.
   * Does nothing if it is not running.
   */
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Cassandra node {} did not stop within {} s; killing it", config.host(), STOP_TIMEOUT.toSeconds());
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * Freezes the node where it stands ({@code kill -STOP}): its process keeps its connections and answers nothing, as
   * a node in a long pause does, until {@link #resume()}.
   *
   * @throws IllegalStateException if the node is not running or the signal cannot be sent
   */
  public synchronized void pause() {
    signal("STOP");
  }

  /** Lets a node {@link #pause() paused} run again ({@code kill -CONT}). */
  public synchronized void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    if (!isRunning()) {
      throw new IllegalStateException("Cannot send SIG" + name + " to " + this + ": it is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true)
          .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("Cannot send SIG" + name + " to " + this + ": "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot send SIG" + name + " to " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while sending SIG" + name + " to " + this, e);
    }
  }

  /** Kills the node at once, like {@code kill -9}, and waits until its process has exited. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LocalNode[" + config.host() + ", " + dataCenter() + "/" + rack() + "]";
  }

  NodeConfig config() {
    return config;
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  static String tail(Path file, int lines) {
    List<String> all = readLines(file, 0);
    return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * The first {@code ERROR} line logged since {@code offset} with the line after it (the exception), and the
   * {@code Caused by} lines that follow: the cause of a failed start, which stack traces push out of the tail.
   */
  static String errorSummary(Path file, long offset) {
    List<String> lines = readLines(file, offset);
    List<String> summary = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (summary.isEmpty() && line.startsWith("ERROR")) {
        summary.add(line);
        if (i + 1 < lines.size()) {
          summary.add(lines.get(i + 1));
        }
      } else if (!summary.isEmpty() && line.startsWith("Caused by:") && summary.size() < 8) {
        summary.add(line);
      }
    }
    return summary.isEmpty() ? "(none)" : String.join(System.lineSeparator(), summary);
  }

  private static List<String> readLines(Path file, long offset) {
    if (!Files.exists(file)) {
      return List.of("(no file)");
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      int from = (int) Math.min(offset, bytes.length);
      return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    } catch (IOException e) {
      return List.of("(cannot read: " + e + ")");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a Cassandra node", e);
    }
  }
}
