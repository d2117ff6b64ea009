package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link SparkMain} as spark-submit does, in a child JVM whose classpath is the shaded jar plus what a Spark user
 * has (this test JVM's classpath: Spark, iceberg-spark-runtime, Hadoop, ...) without Ringsweep's own classes and the
 * driver, which must come from the shaded jar.
 */
final class SparkSubmit {

  /** The exit code and the output (standard output and error) of one run. */
  record Result(int exitCode, String output) {}

  private SparkSubmit() {}

  /**
   * Runs SparkMain with {@code sparkOptions} (system properties: the master...; {@code {classpath}} in them stands
   * for the child's classpath) in {@code directory}, with {@code environment} added to this JVM's.
   */
  static Result run(List<String> sparkOptions, Path directory, Map<String, String> environment, String... args) {
    Path jar = Path.of(System.getProperty("ringsweep.spark.shadedJar"));
    assertThat(jar).as("the shaded jar (made in the package phase)").isRegularFile();
    List<String> entries = new ArrayList<>(List.of(jar.toAbsolutePath().toString()));
    for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        .split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      boolean ringsweep = e.contains("/dev/ringsweep/") || e.endsWith("/target/classes")
          || e.endsWith("/target/test-classes") || e.contains("java-driver-") || e.contains("native-protocol");
      if (!ringsweep) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    String classpath = String.join(File.pathSeparator, entries);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(List.of(opens()));
    command.addAll(sparkOptions.stream().map(o -> o.replace("{classpath}", classpath)).toList());
    command.addAll(List.of("-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1", "-cp", classpath, SparkMain.class.getName()));
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile("spark-submit", ".log");
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      builder.environment().putAll(environment);
      Process process = builder.start();
      try {
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
          throw new AssertionError("SparkMain did not end within 180 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        process.destroyForcibly();
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while SparkMain ran", e);
    }
  }

  /** The {@code --add-opens} options Spark needs on Java 17, as spark-submit passes them. */
  static String[] opens() {
    return System.getProperty("ringsweep.spark.testOpens").trim().split("\\s+");
  }

  /**
   * The options of Spark's {@code local-cluster} master: a standalone master and worker in the spark-submit JVM, and
   * one executor in a JVM of its own, started by the worker with the same classpath. Spark builds the executor's
   * command from a Spark home; an empty one (made under {@code parent}) with the directories its launcher looks for
   * will do in Spark's test mode ({@code spark.testing}), the classes coming from
   * {@code spark.executor.extraClassPath}. The executor runs in a working directory of its own under that home.
   */
  static List<String> localCluster(Path parent) {
    try {
      Path home = Files.createTempDirectory(parent, "spark-home");
      String scalaVersion = scala.util.Properties.versionNumberString().startsWith("2.13") ? "2.13" : "2.12";
      Files.createDirectories(home.resolve("launcher/target/scala-" + scalaVersion));
      Files.createDirectories(home.resolve("assembly/target/scala-" + scalaVersion + "/jars"));
      return List.of("-Dspark.master=local-cluster[1,1,1024]", "-Dspark.executor.memory=768m",
          "-Dspark.testing=true", "-Dspark.test.home=" + home, "-Dspark.executor.extraClassPath={classpath}",
          "-Dspark.executor.extraJavaOptions=" + String.join(" ", opens()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
