package dev.ringsweep.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The runtime classpath of the Apache Cassandra server ({@code org.apache.cassandra:cassandra-all}), resolved apart
 * from this project's own classpath.
 *
 * <p>The server must never share a classpath with the driver (their Netty and Guava versions clash), so it runs in
 * child JVMs whose classpath comes from here: a tiny pom depending on {@code cassandra-all:<version>} is handed to
 * Maven's {@code dependency:build-classpath}. The result is cached in
 * {@code ~/.cache/ringsweep/cassandra-<version>.classpath} and resolved again when any jar it lists is missing.
 *
 * <p>Maven is found at {@code <maven.home>/bin/mvn} (system property {@code maven.home}, set by Maven itself and
 * passed on by this project's pom), else {@code $MAVEN_HOME/bin/mvn}, else {@code mvn} on the {@code PATH}.
 */
public final class ServerClasspath {

  /** The Cassandra version used when the system property {@code ringsweep.cassandra.version} is absent. */
  public static final String DEFAULT_VERSION = "5.0.9";

  /** System property naming the Cassandra version to run. */
  public static final String VERSION_PROPERTY = "ringsweep.cassandra.version";

  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.\\-]*");
  private static final long MAVEN_TIMEOUT_MINUTES = 15;

  private ServerClasspath() {}

  /**
   * Returns the version named by the system property {@code ringsweep.cassandra.version}, or
   * {@value #DEFAULT_VERSION} when it is absent or blank.
   */
  public static String configuredVersion() {
    String version = System.getProperty(VERSION_PROPERTY, "").trim();
    return version.isEmpty() ? DEFAULT_VERSION : version;
  }

  /**
   * Returns the jars of the server's runtime classpath for {@code version}, resolving them with Maven on first use.
   *
   * @throws IllegalArgumentException if the version is not a plain version string
   * @throws IllegalStateException if Maven cannot be found or fails to resolve the classpath
   */
  public static List<Path> resolve(String version) {
    return resolve(version, cacheDirectory());
  }

  static synchronized List<Path> resolve(String version, Path cacheDirectory) {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(
          String.format("Invalid Cassandra version: %s (expected e.g. %s)", version, DEFAULT_VERSION));
    }
    Path cacheFile = cacheDirectory.resolve("cassandra-" + version + ".classpath");
    Optional<List<Path>> cached = readCached(cacheFile);
    if (cached.isPresent()) {
      return cached.get();
    }
    String classpath = runMaven(version);
    List<Path> jars = parse(classpath);
    if (jars.isEmpty() || jars.stream().anyMatch(jar -> !Files.isRegularFile(jar))) {
      throw new IllegalStateException(
          String.format("Maven resolved an empty or incomplete classpath for cassandra-all %s: %s",
              version, classpath));
    }
    writeCache(cacheFile, classpath);
    return jars;
  }

  private static Path cacheDirectory() {
    return Paths.get(System.getProperty("user.home"), ".cache", "ringsweep");
  }

  private static Optional<List<Path>> readCached(Path cacheFile) {
    if (!Files.isRegularFile(cacheFile)) {
      return Optional.empty();
    }
    try {
      List<Path> jars = parse(Files.readString(cacheFile, StandardCharsets.UTF_8));
      boolean complete = !jars.isEmpty() && jars.stream().allMatch(Files::isRegularFile);
      return complete ? Optional.of(jars) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void writeCache(Path cacheFile, String classpath) {
    try {
      Files.createDirectories(cacheFile.getParent());
      Path tmp = Files.createTempFile(cacheFile.getParent(), cacheFile.getFileName().toString(), ".tmp");
      Files.writeString(tmp, classpath, StandardCharsets.UTF_8);
      Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the classpath cache " + cacheFile, e);
    }
  }

  static List<Path> parse(String classpath) {
    List<Path> jars = new ArrayList<>();
    for (String entry : classpath.trim().split(Pattern.quote(java.io.File.pathSeparator))) {
      if (!entry.isBlank()) {
        jars.add(Paths.get(entry.trim()));
      }
    }
    return jars;
  }

  private static String runMaven(String version) {
    String mvn = findMaven();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("ringsweep-cassandra-classpath");
      Path pom = dir.resolve("pom.xml");
      Files.writeString(pom, pomTemplate().replace("@CASSANDRA_VERSION@", version), StandardCharsets.UTF_8);
      Path output = dir.resolve("classpath.txt");
      Path log = dir.resolve("maven.log");
      List<String> command = new ArrayList<>(List.of(
          mvn, "-q", "-B", "-f", pom.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + output));
      String localRepository = System.getProperty("maven.repo.local");
      if (localRepository != null && !localRepository.isBlank()) {
        command.add("-Dmaven.repo.local=" + localRepository);
      }
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(MAVEN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.format("Maven did not resolve cassandra-all %s within %s minutes", version, MAVEN_TIMEOUT_MINUTES));
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(output)) {
        throw new IllegalStateException(
            String.format("Maven (%s) failed to resolve cassandra-all %s (exit code %s):%n%s",
                mvn, version, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8)));
      }
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run Maven (" + mvn + ") to resolve cassandra-all " + version, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while resolving cassandra-all " + version, e);
    } finally {
      if (dir != null) {
        FileTrees.deleteQuietly(dir);
      }
    }
  }

  private static String pomTemplate() throws IOException {
    try (InputStream in = ServerClasspath.class.getResourceAsStream("server-classpath-pom.xml")) {
      if (in == null) {
        throw new IllegalStateException("Missing resource dev/ringsweep/cluster/server-classpath-pom.xml");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String findMaven() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    String executable = windows ? "mvn.cmd" : "mvn";
    List<String> homes = new ArrayList<>();
    homes.add(System.getProperty("maven.home"));
    homes.add(System.getenv("MAVEN_HOME"));
    homes.add(System.getenv("M2_HOME"));
    for (String home : homes) {
      if (home != null && !home.isBlank()) {
        Path candidate = Paths.get(home, "bin", executable);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(Pattern.quote(java.io.File.pathSeparator))) {
        if (!entry.isBlank()) {
          Path candidate = Paths.get(entry, executable);
          if (Files.isExecutable(candidate)) {
            return candidate.toString();
          }
        }
      }
    }
    throw new IllegalStateException(
        "Cannot find Maven to resolve the Cassandra server's classpath: install Apache Maven 3.8+ and put mvn on "
            + "the PATH, or set the system property maven.home (or the environment variable MAVEN_HOME) "
            + "to its installation directory");
  }
}
