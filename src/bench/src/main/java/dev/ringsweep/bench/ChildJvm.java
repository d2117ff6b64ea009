package dev.ringsweep.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool's main class in a child JVM under {@link Probe}, and measures it: wall time (from the parent), CPU
 * seconds and peak RSS (from the child itself). Both DSBulk and Ringsweep run this way, with the same JVM options.
 */
final class ChildJvm {

  /** What one child run used. */
  record Run(int exitCode, double wallSeconds, double cpuSeconds, double peakRssMb, Path stdout, Path stderr) {

    /** The child's standard output. */
    String output() {
      return read(stdout);
    }

    /** The last lines of the child's standard error, for error messages. */
    String errorTail() {
      List<String> lines = read(stderr).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final Path workDir;
  private final List<String> jvmOptions;
  private final Path probeDir;
  private int runs;

  /** A launcher whose children get {@code jvmOptions} (e.g. {@code -Xmx1g}); files go under {@code workDir}. */
  ChildJvm(Path workDir, List<String> jvmOptions) {
    this.workDir = workDir;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.probeDir = workDir.resolve("probe");
    copyProbeClass(probeDir);
  }

  /** The JVM options every child gets. */
  List<String> jvmOptions() {
    return jvmOptions;
  }

  /**
   * Runs {@code mainClass} with {@code args} on {@code classpath} (plus the probe), waits at most
   * {@code timeoutMinutes}, and returns what it used. A non-zero exit code is returned, not thrown.
   */
  Run run(String label, List<Path> classpath, String mainClass, List<String> args, List<String> extraJvmOptions,
      long timeoutMinutes) {
    int n = ++runs;
    Path dir = workDir.resolve("runs").resolve(String.format("%03d-%s", n, label.replaceAll("[^A-Za-z0-9_.-]", "_")));
    try {
      Files.createDirectories(dir);
      Path report = dir.resolve("probe.properties");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(extraJvmOptions);
      command.add("-cp");
      List<String> entries = new ArrayList<>();
      entries.add(probeDir.toString());
      classpath.forEach(p -> entries.add(p.toString()));
      command.add(String.join(java.io.File.pathSeparator, entries));
      command.add(Probe.class.getName());
      command.add(report.toString());
      command.add(mainClass);
      command.addAll(args);
      Files.writeString(dir.resolve("command.txt"), String.join(" ", command.subList(0, 1)) + " … "
          + String.join(" ", command.subList(command.indexOf(Probe.class.getName()), command.size())) + "\n");
      Path out = dir.resolve("stdout.txt");
      Path err = dir.resolve("stderr.txt");
      long started = System.nanoTime();
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(label + " did not finish within " + timeoutMinutes + " minutes (see " + dir
            + ")");
      }
      double wall = (System.nanoTime() - started) / 1e9;
      Properties probe = new Properties();
      if (Files.isRegularFile(report)) {
        try (InputStream in = Files.newInputStream(report)) {
          probe.load(in);
        }
      }
      double cpu = Long.parseLong(probe.getProperty("cpu_nanos", "-1000000000")) / 1e9;
      double rss = Long.parseLong(probe.getProperty("peak_rss_kb", "-1024")) / 1024.0;
      return new Run(process.exitValue(), wall, cpu, rss, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + label, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + label, e);
    }
  }

  /**
   * The classpath of this JVM's application class loader chain: {@code mvn exec:java} runs the harness in a class
   * loader of its own, so {@code java.class.path} alone would be Maven's.
   */
  static List<Path> ownClasspath() {
    Set<Path> entries = new LinkedHashSet<>();
    for (ClassLoader loader = ChildJvm.class.getClassLoader(); loader != null; loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()));
          } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file: skip it
          }
        }
      }
    }
    if (entries.isEmpty() || entries.stream().noneMatch(p -> p.toString().contains("picocli"))) {
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        if (!entry.isBlank()) {
          entries.add(Path.of(entry));
        }
      }
    }
    return List.copyOf(entries);
  }

  private static void copyProbeClass(Path directory) {
    String resource = Probe.class.getSimpleName() + ".class";
    Path target = directory.resolve(Probe.class.getPackageName().replace('.', '/')).resolve(resource);
    try (InputStream in = Probe.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find the class file of " + Probe.class.getName());
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + resource + " to " + target, e);
    }
  }
}
