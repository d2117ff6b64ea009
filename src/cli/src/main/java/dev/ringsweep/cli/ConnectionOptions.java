package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.metadata.Node;
import dev.ringsweep.DriverSettings;
import java.io.Console;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How the command line reaches a cluster: contact points, local data center and credentials (a picocli mixin).
 *
 * <p>The password is never taken from the command line itself (it would show in the process list and the shell
 * history): {@code -p} prompts for it on the terminal without echo (and is refused when there is no terminal, rather
 * than read it echoed or prompt into a redirected standard output), otherwise it comes from {@code RINGSWEEP_PASSWORD}.
 * A user name without a password is refused before connecting. It is never printed or logged.
 */
final class ConnectionOptions {

  /** Port used for a contact point given without one. */
  static final int DEFAULT_PORT = 9042;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  private List<InetSocketAddress> contactPoints = List.of();

  @Option(names = "--local-dc", paramLabel = "DC", defaultValue = "${env:RINGSWEEP_LOCAL_DC}",
      description = "Data center whose replicas serve the queries (env RINGSWEEP_LOCAL_DC; "
          + "default: inferred from the contact points).")
  private String localDc;

  @Option(names = {"-u", "--username"}, paramLabel = "USER", defaultValue = "${env:RINGSWEEP_USERNAME}",
      description = "User name for PasswordAuthenticator (env RINGSWEEP_USERNAME).")
  private String username;

  @Option(names = {"-p", "--password"}, arity = "0",
      description = "Prompt for the password on the terminal (not echoed); otherwise it is read from env "
          + "RINGSWEEP_PASSWORD.")
  private boolean promptForPassword;

  /**
   * Reads a password at a prompt on the terminal without echo, or returns null when there is no terminal; replaced
   * in tests.
   */
  Function<String, char[]> prompt = ConnectionOptions::promptOnConsole;

  private String prompted;

  private static char[] promptOnConsole(String prompt) {
    Console console = System.console();
    return console == null ? null : console.readPassword("%s", prompt);
  }

  /** Environment lookup of the passwords; replaced in tests and by {@link Main#run(String[], java.io.PrintWriter,
   * java.io.PrintWriter, UnaryOperator)}. */
  UnaryOperator<String> environment = System::getenv;

  @Option(names = "--truststore", paramLabel = "FILE",
      description = "Connect over TLS, trusting the certificates in this JKS or PKCS12 store (its password from env "
          + "RINGSWEEP_TRUSTSTORE_PASSWORD).")
  private Path truststore;

  @Option(names = "--keystore", paramLabel = "FILE",
      description = "Connect over TLS with the client certificate in this JKS or PKCS12 store (its password from env "
          + "RINGSWEEP_KEYSTORE_PASSWORD).")
  private Path keystore;

  @Option(names = "--no-hostname-validation",
      description = "Over TLS, accept a server certificate that does not name the host it was reached at.")
  private boolean noHostnameValidation;

  @Option(names = {"-c", "--contact-points"}, paramLabel = "HOST[:PORT]", split = ",",
      defaultValue = "${env:RINGSWEEP_CONTACT_POINTS}",
      description = "Comma-separated contact points (env RINGSWEEP_CONTACT_POINTS; port default 9042).")
  void contactPoints(List<String> values) {
    List<InetSocketAddress> parsed = new ArrayList<>();
    for (String value : values) {
      parsed.add(parseContactPoint(value));
    }
    contactPoints = List.copyOf(parsed);
  }

  /** Whether contact points were given on the command line ({@code -c}), not only by the environment. */
  boolean contactPointsGiven() {
    return spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--contact-points");
  }

  /** The contact points given (empty when none were). */
  List<InetSocketAddress> contactPoints() {
    return contactPoints;
  }

  /** Whether a user name was given on the command line ({@code -u}), not only by the environment. */
  private boolean usernameGiven() {
    return spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--username");
  }

  /** The local data center given, if any. */
  Optional<String> localDc() {
    return Optional.ofNullable(localDc).filter(dc -> !dc.isBlank());
  }

  /** The user name given, if any. */
  Optional<String> username() {
    return Optional.ofNullable(username).filter(u -> !u.isBlank());
  }

  /**
   * The password: prompted for with {@code -p} (once), else {@code RINGSWEEP_PASSWORD}, else empty.
   *
   * @throws ParameterException with {@code -p} when there is no terminal to prompt on
   */
  Optional<String> password() {
    if (promptForPassword) {
      if (prompted == null) {
        char[] typed = prompt.apply("Password" + username().map(u -> " of " + u).orElse("") + ": ");
        if (typed == null) {
          throw new ParameterException(spec.commandLine(), "Cannot prompt for the password (-p): there is no "
              + "terminal (standard input or output is redirected); set RINGSWEEP_PASSWORD instead");
        }
        prompted = new String(typed);
      }
      return Optional.of(prompted);
    }
    return Optional.ofNullable(environment.apply("RINGSWEEP_PASSWORD"));
  }

  /** The least time given to the driver's schema and topology requests, whatever {@code --timeout} says. */
  static final Duration MIN_METADATA_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Opens a session on the contact points given, with {@code requestTimeout} for every request but the driver's own
   * schema and topology requests, which get at least {@link #MIN_METADATA_TIMEOUT}.
   */
  CqlSession connect(Duration requestTimeout) {
    if (contactPoints.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "Missing contact points: give --contact-points HOST[:PORT],... or set RINGSWEEP_CONTACT_POINTS");
    }
    return connect(contactPoints, localDc().orElse(null), requestTimeout);
  }

  /**
   * Opens a session on {@code points}; without a local data center, the driver infers it from the contact points.
   */
  CqlSession connect(List<InetSocketAddress> points, String dc, Duration requestTimeout) {
    // Reading the schema is not a bulk request: a short --timeout must not leave the driver without metadata
    // (every keyspace would then look unknown).
    Duration metadataTimeout = requestTimeout.compareTo(MIN_METADATA_TIMEOUT) < 0 ? MIN_METADATA_TIMEOUT
        : requestTimeout;
    ProgrammaticDriverConfigLoaderBuilder config = DriverSettings.requestTimeout(
            DriverSettings.promptClose(DriverConfigLoader.programmaticBuilder()), requestTimeout)
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, metadataTimeout)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, metadataTimeout)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, metadataTimeout)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10));
    if (dc == null) {
      config.withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy");
    }
    tls(config);
    List<InetSocketAddress> resolved = new ArrayList<>();
    for (InetSocketAddress point : points) {
      resolved.add(point.isUnresolved() ? new InetSocketAddress(point.getHostString(), point.getPort()) : point);
    }
    CqlSessionBuilder builder = CqlSession.builder().addContactPoints(resolved).withConfigLoader(config.build());
    if (dc != null) {
      builder.withLocalDatacenter(dc);
    }
    Optional<String> user = username();
    if (promptForPassword && user.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "Missing user name for the password of -p: give -u USER, or set RINGSWEEP_USERNAME");
    }
    if (user.isPresent()) {
      Optional<String> password = password();
      // A user named on this command line needs a password; one from RINGSWEEP_USERNAME alone may be for other
      // clusters, and one without authentication never asks for the credentials (an empty password, as before).
      if (password.isEmpty() && usernameGiven()) {
        throw new ParameterException(spec.commandLine(), String.format(
            "Missing password of user %s: give -p to be prompted for it, or set RINGSWEEP_PASSWORD", user.get()));
      }
      builder.withAuthCredentials(user.get(), password.orElse(""));
    }
    CqlSession session;
    try {
      session = builder.build();
    } catch (AllNodesFailedException e) {
      throw new IllegalStateException(String.format("Cannot connect to %s; each contact point must be the "
          + "native-protocol address of a Cassandra node (port %d by default)", reasons(e), DEFAULT_PORT), e);
    }
    if (dc != null) {
      Set<String> dataCenters = new TreeSet<>();
      session.getMetadata().getNodes().values().forEach(n -> dataCenters.add(String.valueOf(n.getDatacenter())));
      if (!dataCenters.contains(dc)) {
        session.close();
        String message = String.format("Invalid value for option '--local-dc': '%s' (the cluster's data centers: %s)",
            dc, String.join(", ", dataCenters));
        throw spec != null ? new ParameterException(spec.commandLine(), message)
            : new IllegalArgumentException(message);
      }
    }
    return session;
  }

  /**
   * TLS with the driver's {@code DefaultSslEngineFactory} when a store is given: each store must be readable and have
   * its password in the environment (never on the command line, never printed).
   */
  private void tls(ProgrammaticDriverConfigLoaderBuilder config) {
    if (truststore == null && keystore == null) {
      if (noHostnameValidation) {
        throw invalid("Invalid option --no-hostname-validation without --truststore or --keystore (it applies to "
            + "TLS connections only)");
      }
      return;
    }
    DriverSettings.tls(config,
        truststore == null ? null : store("--truststore", truststore),
        truststore == null ? null : storePassword("--truststore", truststore, "RINGSWEEP_TRUSTSTORE_PASSWORD"),
        keystore == null ? null : store("--keystore", keystore),
        keystore == null ? null : storePassword("--keystore", keystore, "RINGSWEEP_KEYSTORE_PASSWORD"),
        !noHostnameValidation);
  }

  private String store(String option, Path file) {
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw invalid(String.format("Invalid value for option '%s': '%s' (no such file, or it cannot be read)", option,
          file));
    }
    return file.toAbsolutePath().toString();
  }

  private String storePassword(String option, Path file, String variable) {
    String password = environment.apply(variable);
    if (password == null) {
      throw invalid(String.format("Missing password of %s %s (set the environment variable %s)", option, file,
          variable));
    }
    return password;
  }

  private RuntimeException invalid(String message) {
    return spec != null ? new ParameterException(spec.commandLine(), message) : new IllegalArgumentException(message);
  }

  /** Each contact point tried and why it failed, briefly: the driver's message without its channel tag. */
  private static String reasons(AllNodesFailedException e) {
    List<String> reasons = new ArrayList<>();
    for (Map.Entry<Node, List<Throwable>> entry : e.getAllErrors().entrySet()) {
      Throwable cause = entry.getValue().isEmpty() ? e : entry.getValue().get(0);
      // e.g. "[s0|control|id: 0x1, L:/127.0.0.1:5 - R:/127.0.0.1:9042] Protocol initialization request, step 1
      // (OPTIONS): failed to send request (…)"
      String message = Main.oneLine(cause).replaceFirst("^\\[[^\\]]*\\]\\s*", "");
      if (message.length() > 160) {
        message = message.substring(0, 157) + "...";
      }
      reasons.add(entry.getKey().getEndPoint() + " (" + message + ")");
    }
    return reasons.isEmpty() ? Main.oneLine(e) : String.join(", ", reasons);
  }

  private InetSocketAddress parseContactPoint(String value) {
    String trimmed = value.trim();
    String host;
    String portText = null;
    if (trimmed.startsWith("[")) { // [IPv6] or [IPv6]:port
      int close = trimmed.indexOf(']');
      if (close < 0) {
        throw invalid(value, "no closing ']'");
      }
      host = trimmed.substring(1, close);
      if (close + 1 < trimmed.length()) {
        if (trimmed.charAt(close + 1) != ':') {
          throw invalid(value, "unexpected text after ']'");
        }
        portText = trimmed.substring(close + 2);
      }
    } else if (trimmed.indexOf(':') >= 0 && trimmed.indexOf(':') == trimmed.lastIndexOf(':')) { // host:port
      host = trimmed.substring(0, trimmed.indexOf(':'));
      portText = trimmed.substring(trimmed.indexOf(':') + 1);
    } else { // host, or a bare IPv6 address
      host = trimmed;
    }
    if (host.isBlank()) {
      throw invalid(value, "no host");
    }
    int port = DEFAULT_PORT;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw invalid(value, "port '" + portText + "' is not in 1..65535");
      }
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private ParameterException invalid(String value, String why) {
    return new ParameterException(spec.commandLine(), String.format(
        "Invalid value for option '--contact-points': '%s' (%s; expected HOST[:PORT], e.g. 127.0.0.1:9042)",
        value, why));
  }

  @Override
  public String toString() {
    return "ConnectionOptions[contactPoints=" + contactPoints + ", localDc=" + localDc + ", username=" + username
        + ", password=" + (promptForPassword ? "(prompt)" : "(not given)") + "]";
  }
}
