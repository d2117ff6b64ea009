package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import dev.ringsweep.DriverSettings;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How executors (and the Spark driver) connect to Cassandra: a plain serializable value that travels with every
 * task. Each JVM opens ONE {@link CqlSession} per distinct connection, lazily, on first use, shared by all tasks of
 * that JVM and closed when the JVM exits ({@link #session()}).
 *
 * <p>{@link #toString()} never shows a password; the value is never written to Iceberg metadata or task results.
 *
 * <pre>{@code
 * CassandraConnection connection = CassandraConnection.of(List.of("10.0.0.1:9042"), "dc1")
 *     .withCredentials("reader", secret);
 * }</pre>
 *
 * @param contactPoints native-protocol addresses as {@code host:port}; at least one
 * @param localDatacenter the data center whose replicas serve the queries; required
 * @param username user name for {@code PasswordAuthenticator}, or null for none
 * @param password its password, or null for none
 * @param tls TLS settings, or null for a plain connection
 * @param requestTimeout client-side timeout of one request; positive
 */
public record CassandraConnection(
    List<String> contactPoints,
    String localDatacenter,
    String username,
    String password,
    Tls tls,
    Duration requestTimeout) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Default request timeout: 30 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Validates every setting, naming the one that is missing or wrong. */
  public CassandraConnection {
    if (contactPoints == null || contactPoints.isEmpty()) {
      throw new IllegalArgumentException(
          "Missing connection setting: contact points (at least one host:port, e.g. 127.0.0.1:9042)");
    }
    contactPoints = List.copyOf(contactPoints);
    for (String point : contactPoints) {
      address(point);
    }
    if (localDatacenter == null || localDatacenter.isBlank()) {
      throw new IllegalArgumentException(
          "Missing connection setting: local data center (the data center of the contact points, e.g. dc1)");
    }
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(String.format(
          "Invalid credentials: user name %s, password %s (give both or neither)",
          username == null ? "missing" : "'" + username + "'", password == null ? "missing" : "given"));
    }
    if (username != null && username.isBlank()) {
      throw new IllegalArgumentException(String.format("Invalid user name: '%s' (must not be blank)", username));
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()
        || requestTimeout.compareTo(dev.ringsweep.OperatorOptions.MAX_REQUEST_TIMEOUT) > 0) {
      throw new IllegalArgumentException("Invalid request timeout: " + requestTimeout + " (must be > 0 and at most "
          + dev.ringsweep.OperatorOptions.MAX_REQUEST_TIMEOUT + ")");
    }
  }

  /** A connection without credentials or TLS, with the default request timeout. */
  public static CassandraConnection of(List<String> contactPoints, String localDatacenter) {
    return new CassandraConnection(contactPoints, localDatacenter, null, null, null, DEFAULT_REQUEST_TIMEOUT);
  }

  /** This connection authenticating with a user name and password. */
  public CassandraConnection withCredentials(String user, String secret) {
    Objects.requireNonNull(user, "username");
    Objects.requireNonNull(secret, "password");
    return new CassandraConnection(contactPoints, localDatacenter, user, secret, tls, requestTimeout);
  }

  /** This connection over TLS. */
  public CassandraConnection withTls(Tls settings) {
    return new CassandraConnection(contactPoints, localDatacenter, username, password,
        Objects.requireNonNull(settings, "tls"), requestTimeout);
  }

  /** This connection with another request timeout. */
  public CassandraConnection withRequestTimeout(Duration timeout) {
    return new CassandraConnection(contactPoints, localDatacenter, username, password, tls, timeout);
  }

  /**
   * The session of this connection in this JVM: opened on first use, shared by every task, closed when the JVM
   * exits. Callers must not close it.
   */
  public CqlSession session() {
    return SharedSessions.get(this);
  }

  /**
   * Fails, naming the file and this JVM, when a file the settings name is not here: a TLS store given on the driver
   * must be at the same path on every executor, and the driver's own error would not say which.
   *
   * @throws IllegalStateException naming the missing file, never a password
   */
  void checkFiles() {
    if (tls != null) {
      checkReadable("trust store", tls.trustStorePath());
      checkReadable("key store", tls.keyStorePath());
    }
  }

  private static void checkReadable(String what, String path) {
    if (path != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
      org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
      String where = env == null ? "this JVM" : "driver".equals(env.executorId()) ? "the Spark driver"
          : "Spark executor " + env.executorId();
      throw new IllegalStateException(String.format("Missing connection setting on %s: the TLS %s %s does not exist "
          + "or cannot be read there (a CassandraConnection's files must be at the same path on the driver and on "
          + "every executor, e.g. shipped with spark-submit --files)", where, what, path));
    }
  }

  /** Opens a new session with these settings; the caller owns (closes) it. */
  CqlSession openSession() {
    ProgrammaticDriverConfigLoaderBuilder config = DriverSettings.requestTimeout(
            DriverSettings.promptClose(DriverConfigLoader.programmaticBuilder()), requestTimeout)
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, requestTimeout)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, requestTimeout);
    if (tls != null) {
      DriverSettings.tls(config, tls.trustStorePath(), tls.trustStorePassword(), tls.keyStorePath(),
          tls.keyStorePassword(), tls.hostnameValidation());
    }
    List<InetSocketAddress> points = new ArrayList<>();
    contactPoints.forEach(p -> points.add(address(p)));
    CqlSessionBuilder builder = CqlSession.builder().addContactPoints(points).withLocalDatacenter(localDatacenter)
        .withConfigLoader(config.build());
    if (username != null) {
      builder.withAuthCredentials(username, password);
    }
    return builder.build();
  }

  private static InetSocketAddress address(String hostPort) {
    int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1 || hostPort.isBlank()
        || !hostPort.strip().equals(hostPort) || hostPort.substring(0, colon).isBlank()) {
      throw new IllegalArgumentException(String.format("Invalid contact point: '%s' (must be host:port without "
          + "blanks, e.g. 127.0.0.1:9042)", hostPort));
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (port <= 0 || port > 65_535) {
        throw new NumberFormatException();
      }
      return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          String.format("Invalid contact point: '%s' (the port must be 1-65535)", hostPort));
    }
  }

  /** Shows every setting except passwords. */
  @Override
  public String toString() {
    return "CassandraConnection[contactPoints=" + contactPoints + ", localDatacenter=" + localDatacenter
        + ", username=" + username + ", password=" + (password == null ? "none" : "***") + ", tls=" + tls
        + ", requestTimeout=" + requestTimeout + "]";
  }

  /**
   * TLS settings: JKS/PKCS12 stores given by paths that must exist on every executor.
   *
   * @param trustStorePath the trust store, or null for the JVM's default trust
   * @param trustStorePassword its password, or null
   * @param keyStorePath a key store for client certificates, or null for none
   * @param keyStorePassword its password, or null
   * @param hostnameValidation whether the server's certificate must name the host
   */
  public record Tls(String trustStorePath, String trustStorePassword, String keyStorePath, String keyStorePassword,
      boolean hostnameValidation) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Validates the settings on the driver, before any executor uses them.
     *
     * @throws IllegalArgumentException naming a blank store path, a password without its store, or a key store
     *     without its password (the password itself is never shown)
     */
    public Tls {
      dev.ringsweep.DriverSettings.checkTls(trustStorePath, trustStorePassword, keyStorePath, keyStorePassword);
    }

    /** Shows the paths, never the passwords. */
    @Override
    public String toString() {
      return "Tls[trustStore=" + trustStorePath + ", keyStore=" + keyStorePath + ", hostnameValidation="
          + hostnameValidation + "]";
    }
  }
}
