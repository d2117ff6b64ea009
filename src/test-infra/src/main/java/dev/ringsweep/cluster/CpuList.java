package dev.ringsweep.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A set of CPUs in the Linux list format that {@code taskset -c} and {@code /proc/<pid>/status}
 * ({@code Cpus_allowed_list}) use: numbers and ranges separated by commas, e.g. {@code 0}, {@code 4-7} or
 * {@code 0,2-3}. Used to give local nodes and a benchmark's client cores of their own ({@code taskset}, Linux only).
 *
 * @param cpus the CPU numbers, ascending, at least one
 */
public record CpuList(SortedSet<Integer> cpus) {

  /** The highest CPU number accepted: far above any machine this runs on, low enough to catch typos. */
  static final int MAX_CPU = 4095;

  public CpuList {
    if (cpus.isEmpty()) {
      throw new IllegalArgumentException("Invalid CPU list: empty");
    }
    cpus = Collections.unmodifiableSortedSet(new TreeSet<>(cpus));
  }

  /**
   * Parses a CPU list such as {@code 0}, {@code 4-7} or {@code 0,2-3}.
   *
   * @throws IllegalArgumentException naming the list and the bad part, if it is not a list of CPU numbers
   *     (0..{@value #MAX_CPU}) and ascending ranges
   */
  public static CpuList parse(String list) {
    if (list == null || list.isBlank()) {
      throw new IllegalArgumentException("Invalid CPU list: '" + list + "' (expected CPU numbers and ranges, e.g. "
          + "0 or 4-7 or 0,2-3)");
    }
    SortedSet<Integer> cpus = new TreeSet<>();
    for (String part : list.split(",", -1)) {
      String p = part.trim();
      if (!p.matches("[0-9]{1,4}(-[0-9]{1,4})?")) {
        throw new IllegalArgumentException("Invalid CPU list: '" + list + "' ('" + p + "' is neither a CPU number "
            + "nor a range such as 4-7)");
      }
      int dash = p.indexOf('-');
      int first = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
      int last = dash < 0 ? first : Integer.parseInt(p.substring(dash + 1));
      if (last < first || last > MAX_CPU) {
        throw new IllegalArgumentException("Invalid CPU list: '" + list + "' ('" + p + "': "
            + (last < first ? "a range must ascend" : "CPU numbers go up to " + MAX_CPU) + ")");
      }
      for (int cpu = first; cpu <= last; cpu++) {
        cpus.add(cpu);
      }
    }
    return new CpuList(cpus);
  }

  /** Whether this list and {@code other} have a CPU in common. */
  public boolean overlaps(CpuList other) {
    return cpus.stream().anyMatch(other.cpus::contains);
  }

  /** Whether every CPU of this list is in {@code other}. */
  public boolean isWithin(CpuList other) {
    return other.cpus.containsAll(cpus);
  }

  /** The list in its shortest form, ranges joined: {@code 0,2-3}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer previous = null;
    for (int cpu : cpus) {
      if (previous != null && cpu == previous + 1) {
        previous = cpu;
        continue;
      }
      if (start != null) {
        parts.add(start.equals(previous) ? start.toString() : start + "-" + previous);
      }
      start = cpu;
      previous = cpu;
    }
    parts.add(start.equals(previous) ? start.toString() : start + "-" + previous);
    return String.join(",", parts);
  }

  /**
   * The CPUs a running process may run on, read from {@code /proc/<pid>/status}; empty where there is no such file
   * (not Linux) or the process is gone.
   */
  public static Optional<CpuList> ofProcess(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("Cpus_allowed_list:"))
          .map(l -> parse(l.substring(l.indexOf(':') + 1).trim()))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code taskset} executable (util-linux), found on the {@code PATH}.
   *
   * @throws IllegalStateException if there is none: CPU affinity is set with it, on Linux only
   */
  public static Path taskset() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, "taskset");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException("Cannot pin processes to CPUs: no taskset on the PATH (" + path + "); it comes "
        + "with util-linux, on Linux only");
  }

  /**
   * Restricts every thread of the running process {@code pid} to these CPUs ({@code taskset -a -p -c}); threads
   * and child processes it starts later inherit the restriction.
   *
   * @throws IllegalStateException if {@code taskset} is missing or fails (its output is in the message)
   */
  public void pin(long pid) {
    List<String> command = List.of(taskset().toString(), "-a", "-p", "-c", toString(), Long.toString(pid));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("Cannot pin process " + pid + " to CPUs " + this + ": "
            + String.join(" ", command) + " said: " + output.trim());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot pin process " + pid + " to CPUs " + this + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while pinning process " + pid + " to CPUs " + this, e);
    }
  }
}
