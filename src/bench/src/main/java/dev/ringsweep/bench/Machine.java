package dev.ringsweep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the benchmark ran on, read from the JVM and {@code /proc} (figures absent elsewhere are left out). */
final class Machine {

  private Machine() {}

  /** A markdown list describing the machine. */
  static String describe() {
    StringBuilder md = new StringBuilder();
    md.append("- CPU: ").append(cpuModel().orElse("unknown")).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores visible to the JVM\n");
    memTotalMib().ifPresent(m -> md.append(String.format(Locale.ROOT, "- Memory: %,d MiB%n", m)));
    md.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
        .append(" (").append(System.getProperty("os.arch")).append(")\n");
    md.append("- Java: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append('\n');
    loadAverage().ifPresent(l -> md.append("- Load average when the run started (1, 5, 15 min): ").append(l)
        .append('\n'));
    return md.toString();
  }

  /** The 1/5/15-minute load averages, e.g. {@code "1.02 0.80 0.55"}. */
  static Optional<String> loadAverage() {
    return read("/proc/loadavg").map(s -> String.join(" ", List.of(s.trim().split("\\s+")).subList(0, 3)));
  }

  private static Optional<String> cpuModel() {
    return read("/proc/cpuinfo").flatMap(s -> s.lines().filter(l -> l.startsWith("model name")).findFirst())
        .map(l -> l.substring(l.indexOf(':') + 1).trim());
  }

  private static Optional<Long> memTotalMib() {
    return read("/proc/meminfo").flatMap(s -> s.lines().filter(l -> l.startsWith("MemTotal:")).findFirst())
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024);
  }

  private static Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
