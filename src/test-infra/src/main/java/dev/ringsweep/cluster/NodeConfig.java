package dev.ringsweep.cluster;

import java.net.InetAddress;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one local node is started with: its files ({@code cassandra.yaml}, {@code cassandra-rackdc.properties},
 * {@code logback.xml}), its directory layout and its JVM command line. Pure: generating content touches no file.
 *
 * <p>Layout under {@link #directory()}: {@code conf/} (first on the classpath), {@code data/} (data, commitlog,
 * saved caches, hints, cdc), {@code logs/system.log} (the server's log), {@code logs/gc.log} (its collections),
 * {@code logs/output.log} (the JVM's stdout and stderr) and {@code node.pid}. With {@code cpus} set (null: any CPU),
 * the JVM starts under {@code taskset -c <cpus>}, so that it runs on those CPUs only.
 */
record NodeConfig(
    String clusterName,
    InetAddress address,
    InetAddress seed,
    String dataCenter,
    String rack,
    int numTokens,
    Authentication authentication,
    int heapMegabytes,
    int gcPauseMillis,
    int subnet,
    Path directory,
    Map<String, String> yamlOverrides,
    Map<String, String> systemProperties,
    CpuList cpus) {

  /** The CQL (native protocol) port every node listens on, on its own address. */
  static final int NATIVE_PORT = 9042;

  /** The internode (gossip) port every node listens on, on its own address. */
  static final int STORAGE_PORT = 7000;

  /** Marker put on each node's command line, so that its processes can be recognized. */
  static final String NODE_MARKER_PROPERTY = "ringsweep.cluster.node";

  private static final List<String> ADD_EXPORTS = List.of(
      "java.base/jdk.internal.misc", "java.base/jdk.internal.ref", "java.base/sun.nio.ch", "java.base/java.lang.ref",
      "java.management.rmi/com.sun.jmx.remote.internal.rmi", "java.rmi/sun.rmi.registry",
      "java.rmi/sun.rmi.server", "java.sql/java.sql", "jdk.unsupported/sun.misc");

  private static final List<String> ADD_OPENS = List.of(
      "java.base/java.lang", "java.base/java.lang.module", "java.base/java.lang.reflect", "java.base/java.io",
      "java.base/java.nio", "java.base/java.net", "java.base/java.math", "java.base/java.util",
      "java.base/java.util.concurrent", "java.base/java.util.concurrent.atomic", "java.base/jdk.internal.loader",
      "java.base/jdk.internal.ref", "java.base/jdk.internal.reflect", "java.base/jdk.internal.math",
      "java.base/jdk.internal.module", "java.base/jdk.internal.util.jar", "java.base/sun.nio.ch",
      "jdk.management/com.sun.management.internal");

  NodeConfig {
    yamlOverrides = Map.copyOf(yamlOverrides);
    systemProperties = Map.copyOf(systemProperties);
  }

  String host() {
    return address.getHostAddress();
  }

  Path confDirectory() {
    return directory.resolve("conf");
  }

  Path dataDirectory() {
    return directory.resolve("data");
  }

  /** The collector's log: one line per collection, with its pause. */
  Path gcLogFile() {
    return logFile().resolveSibling("gc.log");
  }

  Path logFile() {
    return directory.resolve("logs").resolve("system.log");
  }

  Path outputFile() {
    return directory.resolve("logs").resolve("output.log");
  }

  Path pidFile() {
    return directory.resolve("node.pid");
  }

  /** The value of {@link #NODE_MARKER_PROPERTY} on this node's command line. */
  String marker() {
    return clusterName + "/" + host();
  }

  /** The {@code cassandra.yaml} content: light settings for a test node, then the overrides. */
  String yaml() {
    Path data = dataDirectory();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("cluster_name", quote(clusterName));
    settings.put("num_tokens", Integer.toString(numTokens));
    settings.put("allocate_tokens_for_local_replication_factor", "3");
    settings.put("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner");
    settings.put("data_file_directories", "\n  - " + quote(data.resolve("data").toString()));
    settings.put("commitlog_directory", quote(data.resolve("commitlog").toString()));
    settings.put("saved_caches_directory", quote(data.resolve("saved_caches").toString()));
    settings.put("hints_directory", quote(data.resolve("hints").toString()));
    settings.put("cdc_raw_directory", quote(data.resolve("cdc_raw").toString()));
    settings.put("commitlog_sync", "periodic");
    settings.put("commitlog_sync_period", "10000ms");
    settings.put("seed_provider",
        "\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider"
            + "\n    parameters:"
            + "\n      - seeds: \"" + seed.getHostAddress() + ":" + STORAGE_PORT + "\"");
    settings.put("listen_address", host());
    settings.put("rpc_address", host());
    settings.put("storage_port", Integer.toString(STORAGE_PORT));
    settings.put("native_transport_port", Integer.toString(NATIVE_PORT));
    settings.put("start_native_transport", "true");
    settings.put("endpoint_snitch", "GossipingPropertyFileSnitch");
    boolean password = authentication == Authentication.PASSWORD;
    settings.put("authenticator", password ? "PasswordAuthenticator" : "AllowAllAuthenticator");
    settings.put("authorizer", password ? "CassandraAuthorizer" : "AllowAllAuthorizer");
    settings.put("auto_snapshot", "false");
    settings.put("snapshot_on_duplicate_row_detection", "false");
    settings.put("concurrent_compactors", "1");
    settings.put("key_cache_size", "16MiB");
    settings.put("counter_cache_size", "0MiB");
    settings.put("prepared_statements_cache_size", "16MiB");
    settings.put("max_hints_delivery_threads", "1");
    settings.putAll(yamlOverrides);
    if (!settings.get("commitlog_sync").equals("periodic") && !yamlOverrides.containsKey("commitlog_sync_period")) {
      // Cassandra refuses a sync period with batch or group sync.
      settings.remove("commitlog_sync_period");
    }
    return settings.entrySet().stream()
        .map(e -> e.getKey() + ":" + (e.getValue().startsWith("\n") ? "" : " ") + e.getValue())
        .collect(Collectors.joining("\n", "# Generated by dev.ringsweep.cluster.LocalCluster\n", "\n"));
  }

  /** The {@code cassandra-rackdc.properties} read by {@code GossipingPropertyFileSnitch}. */
  String rackDcProperties() {
    return "dc=" + dataCenter + "\nrack=" + rack + "\n";
  }

  /** A logback configuration writing the server's log to {@link #logFile()}. */
  String logbackXml() {
    return "<configuration scan=\"false\">\n"
        + "  <appender name=\"SYSTEMLOG\" class=\"ch.qos.logback.core.FileAppender\">\n"
        + "    <file>" + xmlEscape(logFile().toString()) + "</file>\n"
        + "    <append>true</append>\n"
        + "    <encoder><pattern>%-5level [%thread] %date{ISO8601} %logger{0} - %msg%n</pattern></encoder>\n"
        + "  </appender>\n"
        + "  <root level=\"INFO\"><appender-ref ref=\"SYSTEMLOG\"/></root>\n"
        + "</configuration>\n";
  }

  /**
   * The node's full command line.
   *
   * @param javaExecutable the {@code java} executable
   * @param launcherClasses the directory holding {@link NodeMain}'s class file
   * @param serverJars the server's runtime classpath
   * @param parentPid the process id of the launching JVM
   */
  List<String> command(Path javaExecutable, Path launcherClasses, List<Path> serverJars, long parentPid) {
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      // taskset executes the JVM in its own process: the pid stays the JVM's.
      command.addAll(List.of("taskset", "-c", cpus.toString()));
    }
    command.add(javaExecutable.toString());
    command.add("-Xms" + heapMegabytes + "m");
    command.add("-Xmx" + heapMegabytes + "m");
    command.add("-XX:+UseG1GC");
    command.add("-XX:MaxGCPauseMillis=" + gcPauseMillis);
    command.add("-Xlog:gc:file=" + gcLogFile());
    command.add("-Xss512k");
    for (String export : ADD_EXPORTS) {
      command.add("--add-exports");
      command.add(export + "=ALL-UNNAMED");
    }
    for (String open : ADD_OPENS) {
      command.add("--add-opens");
      command.add(open + "=ALL-UNNAMED");
    }
    command.add("-Djdk.attach.allowAttachSelf=true");
    command.add("-Djava.net.preferIPv4Stack=true");
    command.add("-Dio.netty.tryReflectionSetAccessible=true");
    command.add("-Dcassandra.config=" + confDirectory().resolve("cassandra.yaml").toUri());
    command.add("-Dcassandra.storagedir=" + dataDirectory());
    command.add("-Dcassandra.logdir=" + logFile().getParent());
    command.add("-Dcassandra.triggers_dir=" + confDirectory().resolve("triggers"));
    command.add("-Dlogback.configurationFile=" + confDirectory().resolve("logback.xml").toUri());
    command.add("-Dcassandra-foreground=yes");
    command.add("-Dcassandra.ring_delay_ms=1000");
    command.add("-Dcassandra.superuser_setup_delay_ms=0");
    command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    command.add("-D" + NodeMain.PARENT_PID_PROPERTY + "=" + parentPid);
    command.add("-D" + LocalCluster.SUBNET_PROPERTY + "=" + subnet);
    command.add("-D" + NODE_MARKER_PROPERTY + "=" + marker());
    systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    List<String> classpath = new ArrayList<>();
    classpath.add(confDirectory().toString());
    classpath.add(launcherClasses.toString());
    serverJars.forEach(jar -> classpath.add(jar.toString()));
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(NodeMain.class.getName());
    return command;
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static String xmlEscape(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
