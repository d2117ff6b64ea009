package dev.ringsweep.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs another program's {@code main} in this JVM and, when the JVM exits (however it exits), writes what the whole
 * process used to a file: its CPU time (user + system, all threads) and its peak resident set size
 * ({@code VmHWM} of {@code /proc/self/status}; -1 where there is none). The harness starts every measured tool, DSBulk
 * and Ringsweep alike, through this class, so both sides are measured the same way.
 *
 * <p>Depends on the JDK only: its class file alone is put in front of a tool's classpath.
 *
 * <p>Arguments: {@code <report file> <main class> <the program's arguments...>}.
 */
public final class Probe {

  private Probe() {}

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      throw new IllegalArgumentException("Usage: Probe <report file> <main class> [args...]; got "
          + Arrays.toString(args));
    }
    Path report = Path.of(args[0]);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> write(report), "probe-report"));
    try {
      Class.forName(args[1]).getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void write(Path report) {
    long peakKb = statusKb("VmHWM:");
    long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    try {
      Files.writeString(report, "cpu_nanos=" + cpuNanos + "\npeak_rss_kb=" + peakKb + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("Probe: cannot write " + report + ": " + e);
    }
  }

  /** A {@code kB} figure of {@code /proc/self/status}, or -1. */
  static long statusKb(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
