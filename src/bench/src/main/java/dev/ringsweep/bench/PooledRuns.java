package dev.ringsweep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rounds of several runs of one group of the {@code adaptive-overload} suite, read from their {@code runs.csv}
 * ({@link RunTally#RUNS}) and taken together, for the question one run cannot answer on a noisy machine: is the adaptive
 * default ahead of the fixed settings over many runs, or only in some?
 *
 * <p>A run's rounds are compared with that run only: each round's rows/s is taken as a share of the rows/s of the
 * run's best fixed setting by its median seconds (every case of a group moves the same rows), so that a quiet run and
 * a busy one weigh alike. Then, over all rounds of all runs, for each case: the median of that share, the median and
 * the mean of its timeouts, and the rounds it met none; and the adaptive default against each fixed setting in the
 * same round of the same run. Runs that lack a case add no rounds to it.
 *
 * <p>Run it with the group's label prefix, then the files:
 * {@code mvn -q compile exec:java -pl src/bench -Dringsweep.bench.skip=false
 * -Dringsweep.bench.main=dev.ringsweep.bench.PooledRuns -Dexec.args="import, /abs/a/runs.csv /abs/b/runs.csv"} prints
 * a Markdown page to standard output (absolute paths: exec:java runs in the module's directory).
 */
public final class PooledRuns {

  /** The label of the adaptive default in a group whose labels start with {@code group} ("import," say). */
  static final String ADAPTIVE = " adaptive default";

  private PooledRuns() {}

  /** One measured run of one case: its seconds and its timeouts. */
  record Round(double seconds, long timeouts) {}

  /** One case's rounds over all runs: each round's rows/s as a share of its run's best fixed setting's, and timeouts. */
  record Pooled(String label, int runs, List<Double> shares, List<Long> timeouts) {

    double medianShare() {
      return median(shares);
    }

    double medianTimeouts() {
      return median(timeouts.stream().map(Long::doubleValue).toList());
    }

    double meanTimeouts() {
      return timeouts.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    long roundsWithout() {
      return timeouts.stream().filter(t -> t == 0).count();
    }
  }

  /** The adaptive default against one fixed setting, round by round in the same runs. */
  record Paired(String label, int rounds, int fixedFaster, int fixedFewer, int fixedAhead, int fixedBehind) {}

  /** What {@link #pool} found. */
  record Result(List<Pooled> cases, List<Paired> paired, int runs) {}

  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("Usage: PooledRuns GROUP RUNS_CSV...: GROUP is the labels' prefix (for "
          + "example \"import,\"), then one runs.csv per run (got " + args.length + " arguments)");
    }
    String group = args[0];
    Map<String, Map<String, Map<Integer, Round>>> runs = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      runs.put(args[i], read(Path.of(args[i]), group));
    }
    System.out.print(page(group, pool(group, runs)));
  }

  /**
   * The rounds of the cases of {@code group} in one {@code runs.csv}: by label, then by round.
   *
   * @throws IllegalArgumentException if the file is not a {@code runs.csv} of the harness; it names the file
   */
  static Map<String, Map<Integer, Round>> read(Path file, String group) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    if (lines.isEmpty() || !lines.get(0).equals(RunTally.RUNS_HEADER)) {
      throw new IllegalArgumentException(String.format("Not a runs.csv of the harness: %s (its first line must be "
          + "'%s')", file, RunTally.RUNS_HEADER));
    }
    Map<String, Map<Integer, Round>> cases = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      int end = line.lastIndexOf('"');
      if (!line.startsWith("\"") || end <= 0) {
        throw new IllegalArgumentException("Not a line of a runs.csv in " + file + ": " + line);
      }
      String label = line.substring(1, end).replace("\"\"", "\"");
      String[] rest = line.substring(end + 2).split(",");
      int round = Integer.parseInt(rest[0]);
      if (label.startsWith(group) && round >= 0) { // not a warm-up round, should a file hold one
        cases.computeIfAbsent(label, l -> new TreeMap<>())
            .put(round, new Round(Double.parseDouble(rest[1]), Long.parseLong(rest[2])));
      }
    }
    return cases;
  }

  /** Whether {@code label} is a fixed setting of a sweep (not the adaptive default or a variant of it). */
  static boolean isFixed(String label) {
    return label.contains(" fixed ");
  }

  /** The runs' ({@link #read}) rounds of {@code group}, taken together. */
  static Result pool(String group, Map<String, Map<String, Map<Integer, Round>>> runs) {
    String adaptive = group + ADAPTIVE;
    Map<String, Integer> runsOf = new LinkedHashMap<>();
    Map<String, List<Double>> shares = new LinkedHashMap<>();
    Map<String, List<Long>> timeouts = new LinkedHashMap<>();
    Map<String, int[]> paired = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Map<Integer, Round>>> run : runs.entrySet()) {
      Map<String, Map<Integer, Round>> cases = run.getValue();
      double best = cases.entrySet().stream().filter(c -> isFixed(c.getKey()))
          .mapToDouble(c -> median(c.getValue().values().stream().map(Round::seconds).toList()))
          .min().orElseThrow(() -> new IllegalArgumentException("No fixed setting of '" + group + "' in "
              + run.getKey() + ": nothing to compare with"));
      cases.forEach((label, rounds) -> {
        runsOf.merge(label, 1, Integer::sum);
        rounds.values().forEach(r -> {
          shares.computeIfAbsent(label, l -> new ArrayList<>()).add(best / r.seconds());
          timeouts.computeIfAbsent(label, l -> new ArrayList<>()).add(r.timeouts());
        });
      });
      Map<Integer, Round> mine = cases.get(adaptive);
      if (mine == null) {
        continue;
      }
      cases.forEach((label, rounds) -> {
        if (!isFixed(label)) {
          return;
        }
        int[] counts = paired.computeIfAbsent(label, l -> new int[5]);
        mine.forEach((round, a) -> {
          Round f = rounds.get(round);
          if (f == null) {
            return;
          }
          int time = Double.compare(f.seconds(), a.seconds()); // < 0: the fixed setting was faster
          int count = Long.compare(f.timeouts(), a.timeouts()); // < 0: it met fewer timeouts
          counts[0]++;
          counts[1] += time < 0 ? 1 : 0;
          counts[2] += count < 0 ? 1 : 0;
          counts[3] += time <= 0 && count <= 0 && (time < 0 || count < 0) ? 1 : 0;
          counts[4] += time > 0 && count > 0 ? 1 : 0;
        });
      });
    }
    List<Pooled> cases = runsOf.keySet().stream()
        .map(label -> new Pooled(label, runsOf.get(label), shares.get(label), timeouts.get(label)))
        .sorted(Comparator.comparing((Pooled p) -> !p.label().equals(adaptive)).thenComparing(Pooled::label,
            Comparator.comparing(PooledRuns::sortKey)))
        .toList();
    List<Paired> pairs = paired.entrySet().stream().sorted(Map.Entry.comparingByKey(
            Comparator.comparing(PooledRuns::sortKey)))
        .map(e -> new Paired(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3],
            e.getValue()[4]))
        .toList();
    return new Result(cases, pairs, runs.size());
  }

  /** Fixed settings by their number (4 before 16), other labels by name. */
  private static String sortKey(String label) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)$").matcher(label);
    return m.find() && isFixed(label) ? String.format(Locale.ROOT, "~%s%010d", label.substring(0, m.start()),
        Long.parseLong(m.group(1))) : label;
  }

  /** The result as a Markdown page. */
  static String page(String group, Result result) {
    StringBuilder page = new StringBuilder();
    page.append(String.format(Locale.ROOT, "# %s pooled over %d runs%n%n", group.replaceAll(",$", ""),
        result.runs()));
    page.append("Each round's rows/s as a share of its own run's best fixed setting's (by its median seconds); "
        + "then over all rounds of all runs.\n\n");
    page.append("| case | runs | rounds | rows/s, median share of the run's best fixed | timeouts, median | "
        + "timeouts, mean | rounds with none |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Pooled p : result.cases()) {
      page.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %.1f | %.1f | %d |%n", p.label(), p.runs(),
          p.shares().size(), p.medianShare(), p.medianTimeouts(), p.meanTimeouts(), p.roundsWithout()));
    }
    if (!result.paired().isEmpty()) {
      page.append("\nThe adaptive default against each fixed setting in the same round of the same run (\"ahead\": "
          + "ahead in both measures, or in one and level in the other):\n\n| fixed setting | rounds | it was faster | "
          + "it met fewer timeouts | it was ahead | it was behind in both |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
      for (Paired p : result.paired()) {
        page.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d |%n", p.label(), p.rounds(),
            p.fixedFaster(), p.fixedFewer(), p.fixedAhead(), p.fixedBehind()));
      }
    }
    return page.toString();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    if (n == 0) {
      return 0;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
