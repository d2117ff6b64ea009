package dev.ringsweep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The pauses of the nodes' collectors since a mark, read from their logs ({@code -Xlog:gc}, one line per collection,
 * e.g. {@code [12.3s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 613M->578M(1024M) 9.040ms}). A
 * pause longer than a client's timeout times out every request in flight at that moment, whatever the load, so the
 * overload suite reports them beside its timeouts.
 */
final class GcPauses {

  private final List<Path> logs;
  private final long[] marks;

  private GcPauses(List<Path> logs, long[] marks) {
    this.logs = logs;
    this.marks = marks;
  }

  /** Marks the current end of each log; {@link #since} then reads the pauses logged after it. */
  static GcPauses mark(List<Path> logs) {
    long[] marks = new long[logs.size()];
    for (int i = 0; i < marks.length; i++) {
      marks[i] = size(logs.get(i));
    }
    return new GcPauses(logs, marks);
  }

  /** The pauses, in milliseconds, logged since the mark by all nodes (a log that shrank is read from its start). */
  double[] since() {
    List<Double> pauses = new ArrayList<>();
    for (int i = 0; i < marks.length; i++) {
      Path log = logs.get(i);
      if (!Files.exists(log)) {
        continue;
      }
      try {
        byte[] bytes = Files.readAllBytes(log);
        int from = bytes.length < marks[i] ? 0 : (int) marks[i];
        new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines().forEach(line -> {
          double ms = pauseMillis(line);
          if (ms >= 0) {
            pauses.add(ms);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + log, e);
      }
    }
    return pauses.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** How many pauses since the mark, their median and the longest, and how many lasted {@code atLeastMillis}. */
  String summary(long atLeastMillis) {
    double[] pauses = since();
    if (pauses.length == 0) {
      return "no pause logged";
    }
    Arrays.sort(pauses);
    long longOnes = Arrays.stream(pauses).filter(ms -> ms >= atLeastMillis).count();
    return String.format(Locale.ROOT, "%,d pauses, median %.0f ms, longest %.0f ms, %,d of %d ms or more",
        pauses.length, pauses[pauses.length / 2], pauses[pauses.length - 1], longOnes, atLeastMillis);
  }

  /** The pause a log line reports, in milliseconds, or -1 if the line is not a pause's. */
  static double pauseMillis(String line) {
    if (!line.contains(" Pause ") || !line.endsWith("ms")) {
      return -1;
    }
    String last = line.substring(line.lastIndexOf(' ') + 1, line.length() - 2);
    try {
      return Double.parseDouble(last);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long size(Path log) {
    try {
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + log, e);
    }
  }
}
