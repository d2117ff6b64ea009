package dev.ringsweep.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Cassandra cluster on this machine: one child JVM per node, each on its own loopback address
 * {@code 127.0.<subnet>.<host index>}, started one after another (the first node is the seed).
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().dataCenter("dc1", 2).dataCenter("dc2", 1).build().start()) {
 *   List<InetSocketAddress> contactPoints = cluster.contactPoints();
 *   ...
 * }
 * }</pre>
 *
 * <p>The server ({@code cassandra-all}) never shares this JVM's classpath: see {@link ServerClasspath}. Node files
 * live under {@code <workDir>/<clusterName>/<address>/}; {@link #start()} wipes them first, so every cluster starts
 * empty. No node outlives this JVM: a shutdown hook kills them, each node halts itself when this JVM is gone, and
 * {@link #start()} kills nodes left running by an earlier run in the same work directory.
 *
 * <p>JMX is off by default (the server runs fine without it); its start-up warning about JMX is harmless.
 * {@link Builder#localJmx()} opens a JMX port on the loopback address for every node, a free one each
 * ({@link LocalNode#jmxPort()}, used by {@code dev.ringsweep.testing.NodeBrownout}). Not thread-safe beyond its
 * synchronized lifecycle methods.
 */
public final class LocalCluster implements AutoCloseable {

  /** System property giving the default {@link Builder#subnet(int) subnet}. */
  public static final String SUBNET_PROPERTY = "ringsweep.cluster.subnet";

  /** System property giving the default {@link Builder#workDir(Path) work directory}. */
  public static final String WORK_DIR_PROPERTY = "ringsweep.cluster.workDir";

  /** The nodes' G1 pause-time goal unless {@link Builder#gcPauseGoal} sets another. */
  public static final Duration DEFAULT_GC_PAUSE_GOAL = Duration.ofMillis(300);

  private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
  private static final String SUPERUSER_CREATED = "Created default superuser role";

  private final String name;
  private final Path clusterDirectory;
  private final Path workDir;
  private final String version;
  private final Authentication authentication;
  private final Duration startTimeout;
  private final List<LocalNode> nodes;
  private List<Path> serverJars;

  private LocalCluster(Builder builder) {
    this.name = builder.clusterName;
    this.workDir = builder.workDir.toAbsolutePath().normalize();
    this.clusterDirectory = workDir.resolve(name);
    this.version = builder.version;
    this.authentication = builder.authentication;
    this.startTimeout = builder.startTimeout;
    Map<String, Integer> dataCenters =
        builder.dataCenters.isEmpty() ? Map.of("dc1", 1) : new LinkedHashMap<>(builder.dataCenters);
    int total = dataCenters.values().stream().mapToInt(Integer::intValue).sum();
    if (builder.firstHostIndex + total - 1 > 254) {
      throw new IllegalArgumentException(String.format(
          "Invalid first host index: %s (with %s nodes the last would be > 254)", builder.firstHostIndex, total));
    }
    int heap = builder.heapMegabytes > 0 ? builder.heapMegabytes : (total == 1 ? 1024 : 768);
    if (builder.nodeCpus.size() > 1 && builder.nodeCpus.size() != total) {
      throw new IllegalArgumentException(String.format("Invalid node CPUs: %s CPU lists for %s nodes (give one list, "
          + "for all nodes, or one per node)", builder.nodeCpus.size(), total));
    }
    InetAddress seed = address(builder.subnet, builder.firstHostIndex);
    Path launcherClasses = clusterDirectory.resolve("launcher");
    List<LocalNode> list = new ArrayList<>();
    Set<Integer> jmxPorts = new HashSet<>();
    int hostIndex = builder.firstHostIndex;
    for (Map.Entry<String, Integer> dc : dataCenters.entrySet()) {
      for (int i = 0; i < dc.getValue(); i++) {
        InetAddress address = address(builder.subnet, hostIndex++);
        Map<String, String> systemProperties = new LinkedHashMap<>(builder.systemProperties);
        if (builder.localJmx) {
          systemProperties.put(LocalNode.JMX_LOCAL_PORT_PROPERTY, String.valueOf(freeLoopbackPort(jmxPorts)));
        }
        NodeConfig config = new NodeConfig(name, address, seed, dc.getKey(), "rack1", builder.numTokens,
            builder.authentication, heap, (int) builder.gcPauseGoal.toMillis(), builder.subnet,
            clusterDirectory.resolve(address.getHostAddress()),
            builder.yaml, systemProperties,
            builder.nodeCpus.isEmpty() ? null : builder.nodeCpus.get(builder.nodeCpus.size() == 1 ? 0 : list.size()));
        list.add(new LocalNode(config, this::serverJars, launcherClasses, builder.startTimeout));
      }
    }
    this.nodes = Collections.unmodifiableList(list);
  }

  /**
   * A port free on the loopback address now and not yet in {@code taken} (to which it is added), for a node's local
   * JMX port. Another process may take it before the node starts; the node then fails to start, saying so in its log.
   */
  private static int freeLoopbackPort(Set<Integer> taken) {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (taken.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free loopback port for a node's JMX port", e);
      }
    }
  }

  /** Returns a new builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the cluster: kills leftovers of an earlier run, wipes this cluster's directory, resolves the server's
   * classpath, then starts the nodes one after another, each waiting until it serves CQL.
   *
   * @return this cluster
   * @throws IllegalStateException if a node of this cluster is running, or if a node fails to start (the nodes
   *     already started are then stopped; the message names the node's address and ends with the last lines of
   *     its log)
   */
  public synchronized LocalCluster start() {
    if (nodes.stream().anyMatch(LocalNode::isRunning)) {
      throw new IllegalStateException(String.format("Cluster %s is already running: close it first", name));
    }
    NodeProcesses.killLeftovers(workDir);
    FileTrees.delete(clusterDirectory);
    serverJars = ServerClasspath.resolve(version);
    copyLauncherClass(clusterDirectory.resolve("launcher"));
    long started = System.nanoTime();
    try {
      for (LocalNode node : nodes) {
        writeFiles(node.config());
        try {
          node.start();
        } catch (RuntimeException e) {
          if (node == nodes.get(0)) {
            throw e;
          }
          // On a loaded machine a joining node sometimes gives up on gossip with the seed ("Unable to contact any
          // seeds") although the seed is fine. It never joined, so start it once more from empty directories.
          LOG.warn("Node {} failed to join ({}); starting it once more", node.address().getHostAddress(),
              e.getMessage().lines().findFirst().orElse(""));
          node.kill();
          keepAside(node.directory());
          writeFiles(node.config());
          node.start();
        }
        if (node == nodes.get(0) && authentication == Authentication.PASSWORD) {
          // The seed creates the default superuser just after its startup; wait, so that logins work at once.
          node.awaitLog(SUPERUSER_CREATED, startTimeout);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("Local Cassandra cluster '{}' ({} nodes) up in {} s", name, nodes.size(),
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
    return this;
  }

  /** The cluster name (also the name of its directory under the work directory). */
  public String name() {
    return name;
  }

  /** The directory holding one sub-directory per node, named after its address. */
  public Path directory() {
    return clusterDirectory;
  }

  /** The nodes, in start order (the first is the seed), grouped by data center in the order they were added. */
  public List<LocalNode> nodes() {
    return nodes;
  }

  /** The CQL addresses of all nodes, in {@link #nodes()} order. */
  public List<InetSocketAddress> contactPoints() {
    return nodes.stream().map(LocalNode::nativeAddress).collect(Collectors.toUnmodifiableList());
  }

  /** The data center of the first node: the natural local data center for a client. */
  public String firstDataCenter() {
    return nodes.get(0).dataCenter();
  }

  /** Stops every running node (gracefully, then forcibly after a timeout). Node files are kept for reading. */
  @Override
  public synchronized void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).stop();
      } catch (RuntimeException e) {
        LOG.warn("Cannot stop Cassandra node {}", nodes.get(i).address().getHostAddress(), e);
        nodes.get(i).kill();
      }
    }
  }

  @Override
  public String toString() {
    return "LocalCluster[" + name + ", " + nodes + "]";
  }

  private synchronized List<Path> serverJars() {
    if (serverJars == null) {
      serverJars = ServerClasspath.resolve(version);
    }
    return serverJars;
  }

  /** Moves a failed node's directory (and so its log) aside, to {@code <dir>.failed}, so that it can be read. */
  private static void keepAside(Path directory) {
    Path aside = directory.resolveSibling(directory.getFileName() + ".failed");
    FileTrees.delete(aside);
    try {
      Files.move(directory, aside);
    } catch (IOException e) {
      FileTrees.delete(directory);
    }
  }

  private static void writeFiles(NodeConfig config) {
    try {
      Files.createDirectories(config.confDirectory().resolve("triggers"));
      Files.createDirectories(config.dataDirectory());
      Files.createDirectories(config.logFile().getParent());
      Files.writeString(config.confDirectory().resolve("cassandra.yaml"), config.yaml(), StandardCharsets.UTF_8);
      Files.writeString(config.confDirectory().resolve("cassandra-rackdc.properties"), config.rackDcProperties(),
          StandardCharsets.UTF_8);
      Files.writeString(config.confDirectory().resolve("logback.xml"), config.logbackXml(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the files of node " + config.host(), e);
    }
  }

  /** Copies NodeMain's class file alone, so nothing else of this project lands on the server's classpath. */
  private static void copyLauncherClass(Path directory) {
    String resource = NodeMain.class.getSimpleName() + ".class";
    Path target = directory.resolve(NodeMain.class.getPackageName().replace('.', '/')).resolve(resource);
    try (InputStream in = NodeMain.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find the class file of " + NodeMain.class.getName());
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + resource + " to " + target, e);
    }
  }

  static InetAddress address(int subnet, int hostIndex) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, (byte) subnet, (byte) hostIndex});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("Invalid loopback address 127.0." + subnet + "." + hostIndex, e);
    }
  }

  /**
   * Builds a {@link LocalCluster}. Mutable and not thread-safe; every setter returns this builder. Defaults:
   * <ul>
   *   <li>data centers: one, {@code dc1}, with 1 node (the first {@link #dataCenter} call replaces it);</li>
   *   <li>{@code num_tokens}: 16;</li>
   *   <li>authentication: {@link Authentication#NONE};</li>
   *   <li>heap per node: 1024 MiB for a single node, 768 MiB per node otherwise; G1's pause-time goal: 300 ms (see
   *       {@link #gcPauseGoal});</li>
   *   <li>cluster name: {@code ringsweep};</li>
   *   <li>subnet: the system property {@value #SUBNET_PROPERTY}, else 0; first host index: 1 (so the nodes are
   *       {@code 127.0.<subnet>.1}, {@code .2}, ...);</li>
   *   <li>work directory: the system property {@value #WORK_DIR_PROPERTY}, else {@code target/ringsweep-cluster};</li>
   *   <li>Cassandra version: the system property {@value ServerClasspath#VERSION_PROPERTY}, else
   *       {@value ServerClasspath#DEFAULT_VERSION};</li>
   *   <li>the nodes' Java: see {@link ServerJava} (this JVM if it is Java 17, else a JDK 17 found or named);</li>
   *   <li>start timeout per node: 5 minutes; CPUs: any (see {@link #nodeCpus});</li>
   *   <li>{@code cassandra.yaml} overrides: none; extra server system properties: none; JMX: off (see
   *       {@link #localJmx()}).</li>
   * </ul>
   */
  public static final class Builder {

    private final Map<String, Integer> dataCenters = new LinkedHashMap<>();
    private final Map<String, String> yaml = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private int numTokens = 16;
    private Authentication authentication = Authentication.NONE;
    private int heapMegabytes;
    private Duration gcPauseGoal = DEFAULT_GC_PAUSE_GOAL;
    private String clusterName = "ringsweep";
    private int subnet = defaultSubnet();
    private int firstHostIndex = 1;
    private Path workDir = Path.of(System.getProperty(WORK_DIR_PROPERTY, "target/ringsweep-cluster"));
    private String version = ServerClasspath.configuredVersion();
    private Duration startTimeout = Duration.ofMinutes(5);
    private List<CpuList> nodeCpus = List.of();
    private boolean localJmx;

    private Builder() {}

    private static int defaultSubnet() {
      String value = System.getProperty(SUBNET_PROPERTY, "0").trim();
      try {
        int subnet = Integer.parseInt(value);
        if (subnet >= 0 && subnet <= 255) {
          return subnet;
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new IllegalArgumentException(
          String.format("Invalid system property %s: %s (must be in 0..255)", SUBNET_PROPERTY, value));
    }

    /** Adds a data center with {@code nodeCount} nodes; data centers are started in the order they are added. */
    public Builder dataCenter(String name, int nodeCount) {
      if (name == null || !name.matches("[A-Za-z0-9_\\-]+")) {
        throw new IllegalArgumentException(
            String.format("Invalid data center name: %s (letters, digits, '_' and '-' only)", name));
      }
      if (nodeCount < 1) {
        throw new IllegalArgumentException(String.format("Invalid node count: %s (must be > 0)", nodeCount));
      }
      if (dataCenters.containsKey(name)) {
        throw new IllegalArgumentException(String.format("Duplicate data center: %s", name));
      }
      dataCenters.put(name, nodeCount);
      return this;
    }

    /** Sets {@code num_tokens} (vnodes per node). */
    public Builder numTokens(int numTokens) {
      if (numTokens < 1 || numTokens > 1536) {
        throw new IllegalArgumentException(String.format("Invalid num_tokens: %s (must be in 1..1536)", numTokens));
      }
      this.numTokens = numTokens;
      return this;
    }

    /** Sets how clients authenticate. */
    public Builder authentication(Authentication authentication) {
      if (authentication == null) {
        throw new IllegalArgumentException("Invalid authentication: null");
      }
      this.authentication = authentication;
      return this;
    }

    /** Sets the heap of each node, in MiB ({@code -Xms} and {@code -Xmx}). */
    public Builder heapMegabytes(int heapMegabytes) {
      if (heapMegabytes < 256) {
        throw new IllegalArgumentException(String.format("Invalid heap size: %s MiB (must be >= 256)", heapMegabytes));
      }
      this.heapMegabytes = heapMegabytes;
      return this;
    }

    /**
     * Sets the pause-time goal of each node's collector (G1, {@code -XX:MaxGCPauseMillis}); by default 300 ms. G1
     * sizes its young generation to meet it, so a lower goal means more, shorter pauses. A node's pauses time out
     * every request in flight whose client timeout is shorter, whatever the load; a test or benchmark whose client
     * timeouts are tens of milliseconds (to make overload show quickly) needs a goal well under them, so that its
     * timeouts measure overload rather than the node's collector. Each node logs its collections to
     * {@code logs/gc.log}.
     */
    public Builder gcPauseGoal(Duration goal) {
      if (goal == null || goal.toMillis() < 1 || goal.toMillis() > 10_000) {
        throw new IllegalArgumentException(
            String.format("Invalid GC pause goal: %s (must be from 1 ms to 10 s)",
                goal == null ? "null" : goal.toMillis() + " ms"));
      }
      this.gcPauseGoal = goal;
      return this;
    }

    /** Sets the cluster name, also the name of the cluster's directory under the work directory. */
    public Builder clusterName(String clusterName) {
      if (clusterName == null || !clusterName.matches("[A-Za-z0-9_\\-]+")) {
        throw new IllegalArgumentException(
            String.format("Invalid cluster name: %s (letters, digits, '_' and '-' only)", clusterName));
      }
      this.clusterName = clusterName;
      return this;
    }

    /** Sets the third byte of the nodes' addresses {@code 127.0.<subnet>.<host index>}. */
    public Builder subnet(int subnet) {
      if (subnet < 0 || subnet > 255) {
        throw new IllegalArgumentException(String.format("Invalid subnet: %s (must be in 0..255)", subnet));
      }
      this.subnet = subnet;
      return this;
    }

    /** Sets the last byte of the first node's address; the other nodes follow it. */
    public Builder firstHostIndex(int firstHostIndex) {
      if (firstHostIndex < 1 || firstHostIndex > 254) {
        throw new IllegalArgumentException(
            String.format("Invalid first host index: %s (must be in 1..254)", firstHostIndex));
      }
      this.firstHostIndex = firstHostIndex;
      return this;
    }

    /** Sets the work directory; the cluster's files go to {@code <workDir>/<clusterName>/}. */
    public Builder workDir(Path workDir) {
      if (workDir == null) {
        throw new IllegalArgumentException("Invalid work directory: null");
      }
      this.workDir = workDir;
      return this;
    }

    /** Sets the version of {@code org.apache.cassandra:cassandra-all} to run. */
    public Builder cassandraVersion(String version) {
      if (version == null || version.isBlank()) {
        throw new IllegalArgumentException(String.format("Invalid Cassandra version: '%s'", version));
      }
      this.version = version;
      return this;
    }

    /** Sets how long each node may take to start before it is killed and {@link LocalCluster#start()} fails. */
    public Builder startTimeout(Duration startTimeout) {
      if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException(String.format("Invalid start timeout: %s (must be > 0)", startTimeout));
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /**
     * Sets a {@code cassandra.yaml} key on every node, replacing the launcher's value if it has one. The value is
     * YAML as written after {@code key: }, e.g. {@code yaml("read_request_timeout", "200ms")}.
     */
    public Builder yaml(String key, String value) {
      if (key == null || !key.matches("[a-z0-9_]+")) {
        throw new IllegalArgumentException(String.format("Invalid cassandra.yaml key: %s", key));
      }
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(String.format("Invalid value for cassandra.yaml key %s: '%s'", key, value));
      }
      yaml.put(key, value);
      return this;
    }

    /**
     * Starts every node with the server system property {@code key} (one of Cassandra's, {@code cassandra.*}) set to
     * {@code value}, e.g. {@code systemProperty("cassandra.size_recorder_interval", "5")}.
     */
    public Builder systemProperty(String key, String value) {
      if (key == null || !key.matches("cassandra\\.[A-Za-z0-9_.]+")) {
        throw new IllegalArgumentException(String.format(
            "Invalid server system property: %s (expected one of Cassandra's, cassandra.<name>)", key));
      }
      if (key.equals(LocalNode.JMX_LOCAL_PORT_PROPERTY)) {
        throw new IllegalArgumentException(String.format("Invalid server system property: %s (every node would "
            + "take the same port; use localJmx(), which gives each node a free port of its own)", key));
      }
      if (value == null || value.isBlank() || value.matches(".*\\s.*")) {
        throw new IllegalArgumentException(String.format(
            "Invalid value for server system property %s: '%s' (expected a value without spaces)", key, value));
      }
      systemProperties.put(key, value);
      return this;
    }

    /**
     * Opens a JMX port on the loopback address for every node, a free port each, found when the cluster is built
     * ({@link LocalNode#jmxPort()}; Cassandra's {@code cassandra.jmx.local.port}). By default JMX is off.
     */
    public Builder localJmx() {
      this.localJmx = true;
      return this;
    }

    /**
     * Runs the nodes on these CPUs only ({@code taskset -c}, Linux only): one list for every node, or one list per
     * node in the order the nodes start. By default a node may run on any CPU.
     *
     * @throws IllegalArgumentException if no list is given, or two per-node lists overlap
     * @throws IllegalStateException if there is no {@code taskset} on the {@code PATH}
     */
    public Builder nodeCpus(List<CpuList> cpus) {
      if (cpus == null || cpus.isEmpty()) {
        throw new IllegalArgumentException("Invalid node CPUs: " + cpus + " (give one CPU list, or one per node)");
      }
      for (int i = 0; i < cpus.size(); i++) {
        for (int j = i + 1; j < cpus.size(); j++) {
          if (cpus.get(i).overlaps(cpus.get(j))) {
            throw new IllegalArgumentException(String.format("Invalid node CPUs: %s and %s overlap (give nodes CPUs "
                + "of their own, or one list for all of them)", cpus.get(i), cpus.get(j)));
          }
        }
      }
      CpuList.taskset();
      this.nodeCpus = List.copyOf(cpus);
      return this;
    }

    /** Returns a cluster with these options, not yet started: call {@link LocalCluster#start()}. */
    public LocalCluster build() {
      return new LocalCluster(this);
    }
  }
}
