package dev.ringsweep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The classpath of a tool resolved apart from this project's: a pom of the tool's Maven Central artifacts handed to
 * {@code mvn dependency:build-classpath}, cached in {@code ~/.cache/ringsweep/<name>.classpath} (used again while
 * every jar it names is still there). DSBulk, the Spark Cassandra Connector and Spark itself reach the measured child
 * JVMs this way, never the harness's own classpath.
 */
final class MavenClasspath {

  private MavenClasspath() {}

  /** A pom whose dependencies are {@code groupId:artifactId:version} coordinates, in this order. */
  static String pom(String name, List<String> coordinates) {
    String dependencies = coordinates.stream().map(c -> {
      String[] p = c.split(":");
      if (p.length != 3) {
        throw new IllegalArgumentException("Invalid coordinates: " + c + " (expected groupId:artifactId:version)");
      }
      return "    <dependency><groupId>" + p[0] + "</groupId><artifactId>" + p[1] + "</artifactId><version>" + p[2]
          + "</version></dependency>";
    }).collect(Collectors.joining("\n"));
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>dev.ringsweep.internal</groupId>
          <artifactId>%s</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <dependencies>
        %s
          </dependencies>
          <build><pluginManagement><plugins><plugin>
            <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId>
            <version>3.8.1</version>
          </plugin></plugins></pluginManagement></build>
        </project>
        """.formatted(name, dependencies);
  }

  /** The jars of {@code pom}'s dependencies, from the cache {@code name} or resolved by Maven (at most 15 min). */
  static synchronized List<Path> resolve(String name, String pom) {
    Path cache = Paths.get(System.getProperty("user.home"), ".cache", "ringsweep", name + ".classpath");
    try {
      if (Files.isRegularFile(cache)) {
        List<Path> jars = parse(Files.readString(cache));
        if (!jars.isEmpty() && jars.stream().allMatch(Files::isRegularFile)) {
          return jars;
        }
      }
      Path dir = Files.createTempDirectory("ringsweep-" + name + "-classpath");
      Files.writeString(dir.resolve("pom.xml"), pom);
      Path output = dir.resolve("classpath.txt");
      Path log = dir.resolve("maven.log");
      System.out.println("Resolving the classpath of " + name + " with Maven (see " + log + ")");
      Process mvn = new ProcessBuilder(maven(), "-q", "-B", "-f", dir.resolve("pom.xml").toString(),
          "dependency:build-classpath", "-Dmdep.outputFile=" + output).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!mvn.waitFor(15, TimeUnit.MINUTES) || mvn.exitValue() != 0 || !Files.isRegularFile(output)) {
        mvn.destroyForcibly();
        throw new IllegalStateException("Maven could not resolve the classpath of " + name + "; see " + log);
      }
      String classpath = Files.readString(output);
      Files.createDirectories(cache.getParent());
      Path tmp = Files.createTempFile(cache.getParent(), name, ".tmp");
      Files.writeString(tmp, classpath);
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return parse(classpath);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot resolve the classpath of " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while resolving the classpath of " + name, e);
    }
  }

  private static List<Path> parse(String classpath) {
    List<Path> jars = new ArrayList<>();
    for (String entry : classpath.trim().split(Pattern.quote(java.io.File.pathSeparator))) {
      if (!entry.isBlank()) {
        jars.add(Paths.get(entry.trim()));
      }
    }
    return jars;
  }

  private static String maven() {
    for (String home : new String[] {System.getProperty("maven.home"), System.getenv("MAVEN_HOME")}) {
      if (home != null && Files.isExecutable(Paths.get(home, "bin", "mvn"))) {
        return Paths.get(home, "bin", "mvn").toString();
      }
    }
    return "mvn";
  }
}
