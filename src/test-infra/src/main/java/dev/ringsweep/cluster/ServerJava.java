package dev.ringsweep.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java the nodes run on. Cassandra 5.0 supports Java 11 and 17 only (on Java 25 it does not start: "Setting a
 * system-wide Policy object is not supported"). This project runs on 17 or later, so the nodes run on:
 * <ol>
 *   <li>the JDK whose home the system property {@value #HOME_PROPERTY} or the environment variable
 *       {@value #HOME_ENV} names, if set (taken as given);</li>
 *   <li>else this JVM, if it is Java 17;</li>
 *   <li>else a Java 17 JDK found in the usual places: the environment variables {@code JAVA_HOME_17_X64},
 *       {@code JAVA_HOME_17_ARM64} and {@code JAVA17_HOME}, then the JDKs under {@code /usr/lib/jvm},
 *       {@code /usr/java}, {@code /opt/java}, {@code /Library/Java/JavaVirtualMachines}, {@code ~/.sdkman}'s and
 *       {@code ~/.jdks} (a JDK is recognized by the {@code JAVA_VERSION} of its {@code release} file).</li>
 * </ol>
 * Without any of them, starting a node fails with a message that says so and how to point at a JDK 17.
 */
public final class ServerJava {

  /** System property naming the home directory of the JDK the nodes run on. */
  public static final String HOME_PROPERTY = "ringsweep.cluster.javaHome";
  /** Environment variable naming the home directory of the JDK the nodes run on. */
  public static final String HOME_ENV = "RINGSWEEP_CASSANDRA_JAVA_HOME";
  /** The Java feature version the nodes run on unless told otherwise. */
  public static final int VERSION = 17;

  private static final Logger LOG = LoggerFactory.getLogger(ServerJava.class);
  private static final List<String> HOME_VARIABLES = List.of("JAVA_HOME_17_X64", "JAVA_HOME_17_ARM64", "JAVA17_HOME");

  private static Path executable;

  private ServerJava() {}

  /**
   * The {@code java} executable of the nodes, as the class comment describes (found once).
   *
   * @throws IllegalStateException if a configured home has no {@code bin/java}, or no Java 17 is found
   */
  public static synchronized Path executable() {
    if (executable == null) {
      executable = resolve(System.getProperty(HOME_PROPERTY), System::getenv,
          Path.of(System.getProperty("java.home")), Runtime.version().feature(), searchRoots());
    }
    return executable;
  }

  /**
   * Picks the {@code java} executable from what the class comment lists; the inputs are parameters so that the
   * choice can be tested.
   *
   * @param property the value of {@value #HOME_PROPERTY}, or null
   * @param env the environment
   * @param currentHome this JVM's home
   * @param currentVersion this JVM's feature version
   * @param roots directories whose subdirectories may be JDK homes (or hold one under {@code Contents/Home})
   * @throws IllegalStateException if a home that is set has no {@code bin/java}, or no Java 17 is found
   */
  static Path resolve(String property, Function<String, String> env, Path currentHome, int currentVersion,
      List<Path> roots) {
    String configured = property != null && !property.isBlank() ? property : env.apply(HOME_ENV);
    if (configured != null && !configured.isBlank()) {
      String source = property != null && !property.isBlank() ? "system property " + HOME_PROPERTY
          : "environment variable " + HOME_ENV;
      Path java = java(Path.of(configured.trim()));
      if (!Files.isExecutable(java)) {
        throw new IllegalStateException(String.format(
            "Invalid %s: %s (no executable bin/java there; expected the home directory of a JDK %s)", source,
            configured, VERSION));
      }
      return java;
    }
    if (currentVersion == VERSION) {
      return java(currentHome);
    }
    List<Path> candidates = new ArrayList<>();
    for (String variable : HOME_VARIABLES) {
      String home = env.apply(variable);
      if (home != null && !home.isBlank()) {
        candidates.add(Path.of(home.trim()));
      }
    }
    for (Path root : roots) {
      candidates.addAll(children(root));
    }
    for (Path home : candidates) {
      Path java = java(home);
      if (version(home).orElse(-1) == VERSION && Files.isExecutable(java)) {
        LOG.info("Cassandra nodes run on Java {} from {} (this JVM is Java {}, which Cassandra 5.0 does not support)",
            VERSION, home, currentVersion);
        return java;
      }
    }
    throw new IllegalStateException(String.format(
        "Cassandra 5.0 runs on Java 11 or 17, and this JVM is Java %s (%s). No JDK %s was found in %s or under %s. "
            + "Set the environment variable %s (or the system property %s) to the home directory of a JDK %s, "
            + "or run on Java %s.", currentVersion, currentHome, VERSION, String.join(", ", HOME_VARIABLES), roots,
        HOME_ENV, HOME_PROPERTY, VERSION, VERSION));
  }

  /** The feature version in a JDK home's {@code release} file ({@code JAVA_VERSION="17.0.15"} → 17). */
  static Optional<Integer> version(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String value = line.substring("JAVA_VERSION=".length()).replace("\"", "").trim();
          String[] parts = value.split("[.+-]");
          int first = Integer.parseInt(parts[0]);
          return Optional.of(first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Path java(Path home) {
    return home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /** A root's subdirectories in name order, each as a JDK home (macOS bundles keep it under Contents/Home). */
  private static List<Path> children(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(root)) {
      return entries.filter(Files::isDirectory).sorted(Comparator.comparing(Path::toString))
          .map(dir -> Files.isDirectory(dir.resolve("Contents/Home")) ? dir.resolve("Contents/Home") : dir)
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<Path> searchRoots() {
    Path user = Path.of(System.getProperty("user.home", "/"));
    return List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
        Path.of("/Library/Java/JavaVirtualMachines"), user.resolve(".sdkman/candidates/java"),
        user.resolve(".jdks"));
  }
}
