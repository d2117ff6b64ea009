package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.DriverSettings;
import dev.ringsweep.OperatorBuilder;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.testing.NodeBrownout;
import dev.ringsweep.token.TokenRange;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.imports.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Adaptive concurrency (issue 16): for count, export and import, the adaptive default against a sweep of fixed
 * limits, each operation in its own comparison whose baseline is the adaptive default, all in the harness's JVM on
 * the same table in the same run. A note per operation says how far the adaptive default is from the best and the
 * worst fixed setting.
 */
final class AdaptiveSuite {

  /** Fixed parallelism of a count's range queries. */
  private static final int[] COUNT_PARALLELISM = {4, 16, 64, 256};
  /** Fixed parallelism of an export's page requests; the export runs {@value #EXPORT_WRITERS} writers. */
  private static final int[] EXPORT_PARALLELISM = {2, 4, 8, 16};
  /** Writer threads of every export case: with two pages each in flight at most, 16 requests. */
  private static final int EXPORT_WRITERS = 8;
  /**
   * Writer threads of every export case on the overloaded node: with two pages each in flight at most, 64 requests,
   * so that a high fixed parallelism can overload the node's two read threads as the count's does (with
   * {@value #EXPORT_WRITERS} writers no case could have more than 16 pages in flight, and none timed out).
   */
  private static final int OVERLOAD_EXPORT_WRITERS = 32;
  /** Fixed parallelism of an export's page requests on the overloaded node (the adaptive ceiling there is 16). */
  private static final int[] OVERLOAD_EXPORT_PARALLELISM = {4, 8, 16, 64};
  /**
   * Counts of the table in one run of a count case on the overloaded node: one count of 200k rows there takes under
   * half a second, so that 50 ms (a single slow range) moved a case's ratio by 10%; several in a row, on one
   * operator, make runs of seconds.
   */
  private static final int OVERLOAD_COUNT_REPEATS = 5;

  /**
   * The overloaded count group's variant of the adaptive default that counts with a new operator each time: what the
   * operator's limits learn from one count to the next is the difference.
   */
  private static final String COUNT_AFRESH = "count, adaptive default, a new operator for each count";

  /**
   * The overloaded import group's variant of the adaptive default that is the second of two imports on one session:
   * its writer's limits start where the first import's left them (the session's writers' memory), as the next
   * import of a job does, or the next import task of a Spark executor. Only the second import is measured; the first
   * is run just before it on the same session and its time and timeouts are not counted (its load on the nodes, a
   * flush of what it wrote, falls on the second, against it).
   */
  private static final String IMPORT_AFTER = "import, adaptive default, after an import on the same session";

  /**
   * As {@link #IMPORT_AFTER}, but the second import's writer starts afresh ({@code rememberLimits(false)}): the
   * same load on the nodes from the first import, without the session's memory of its limits, so that the two
   * variants together tell what that memory is worth.
   */
  private static final String IMPORT_AFTER_AFRESH =
      "import, adaptive default, after an import on the same session, its writer starting afresh";

  /** The contenders that are variants of the adaptive default, not fixed settings. */
  static final java.util.Set<String> VARIANTS = java.util.Set.of(COUNT_AFRESH, IMPORT_AFTER, IMPORT_AFTER_AFRESH);

  /**
   * The directory, in the run's results, of the adaptive cases' limit traces: a CSV file per case, one line per
   * change of a limit in a measured run ({@link RunTally}).
   */
  static final String LIMIT_TRACES = "limit-traces";
  /** Fixed write requests in flight of an import. */
  private static final int[] IMPORT_IN_FLIGHT = {8, 32, 64, 256};
  /**
   * Fixed write requests in flight of an import on the overloaded node: also 4 and 16, so that the chart of rows/s
   * against timeouts shows the shallow end of the trade-off, where the adaptive writer's queue after trouble (8 to 16
   * writes queued on the server, 3 to 6 before) lies.
   */
  private static final int[] OVERLOAD_IMPORT_IN_FLIGHT = {4, 8, 16, 32, 64, 256};

  private AdaptiveSuite() {}

  static Suite run(BenchContext ctx) {
    Suite suite = new Suite("adaptive", String.format(Locale.ROOT,
        "Adaptive concurrency against fixed limits (%d node(s), %,d rows)", ctx.nodes(), ctx.rows()));
    Path work = ctx.workDir().resolve("adaptive");

    List<Cases.Case> counts = new ArrayList<>();
    counts.add(new Cases.Case("count, adaptive default", Measurement.Role.BASELINE,
        round -> count(TokenAwareBulkOperator.builder(ctx.session()).build())));
    for (int p : COUNT_PARALLELISM) {
      counts.add(new Cases.Case("count, fixed parallelism " + p, Measurement.Role.CONTENDER,
          round -> count(TokenAwareBulkOperator.builder(ctx.session()).parallelism(p).build())));
    }
    add(suite, "count: adaptive default against fixed parallelism", counts, ctx);

    List<Cases.Case> exports = new ArrayList<>();
    exports.add(new Cases.Case("export, adaptive default", Measurement.Role.BASELINE,
        round -> export(TokenAwareBulkOperator.builder(ctx.session()).build(), work.resolve("export"))));
    for (int p : EXPORT_PARALLELISM) {
      exports.add(new Cases.Case("export, fixed parallelism " + p, Measurement.Role.CONTENDER,
          round -> export(TokenAwareBulkOperator.builder(ctx.session()).parallelism(p).build(),
              work.resolve("export"))));
    }
    add(suite, "export (CSV, " + EXPORT_WRITERS + " writers): adaptive default against fixed parallelism", exports,
        ctx);

    // The source of every import: one CSV export, made once.
    Path source = work.resolve("source");
    export(TokenAwareBulkOperator.builder(ctx.session()).build(), source);
    List<Cases.Case> imports = new ArrayList<>();
    imports.add(new Cases.Case("import, adaptive default", Measurement.Role.BASELINE,
        round -> importCsv(ctx, source, ImportOptions.defaults())));
    for (int n : IMPORT_IN_FLIGHT) {
      imports.add(new Cases.Case("import, fixed max in flight " + n, Measurement.Role.CONTENDER,
          round -> importCsv(ctx, source, ImportOptions.defaults().withMaxInFlight(n))));
    }
    add(suite, "import (CSV): adaptive default against fixed requests in flight", imports, ctx);

    suite.note("Adaptive defaults: range queries of a count and page requests of an export under an adaptive limit "
        + "(the lower of Gradient2 and AIMD, concurrency-limits 0.5.4), the import's BatchWriter likewise (up to "
        + "64 requests per node; Vegas instead of Gradient2 from its first trouble until 10 s without any). Every "
        + "case runs in the harness's JVM (wall time only), once untimed before the measured runs (a warm-up round, "
        + "so that no case's first run pays for the JIT and the nodes' warm-up), CSV files on local disk; the import "
        + "empties bench.data_copy before each run (untimed) and skips verification.");
    return suite;
  }

  /**
   * The node's capacity during a brownout, in CQL requests a second: a small fraction of what it takes from an import
   * (thousands of batches a second), low enough that even the smallest fixed setting, 4 writes in flight, waits
   * 40 ms per write, longer than the 30 ms write timeout, while 1 or 2 in flight wait 10 or 20 ms.
   */
  private static final int BROWNOUT_RATE = 100;
  /** When a brownout starts, after the import's start: a second, about a quarter of an import of 200k rows. */
  private static final Duration BROWNOUT_AFTER = Duration.ofSeconds(1);
  /** How long a brownout lasts. */
  private static final Duration BROWNOUT_LENGTH = Duration.ofSeconds(2);
  /** Fixed write requests in flight of an import through a brownout. */
  private static final int[] BROWNOUT_IMPORT_IN_FLIGHT = {4, 8, 16, 32, 64};
  /**
   * The same on several nodes, one of them browned out: also 128, since there the adaptive ceiling is 64 per node
   * and two nodes take writes at their full pace.
   */
  private static final int[] BROWNOUT_IMPORT_IN_FLIGHT_NODES = {4, 8, 16, 32, 64, 128};

  /**
   * The node's capacity during an export's brownout, in CQL requests a second: a page every 200 ms, about the read
   * timeout, where the node serves an export's pages by the dozen a second; one page in flight is then served in
   * time, a queue of them is not. Short and deep (a node that all but stops for half a second: a long pause, a
   * neighbour taking its disk), so that the other nodes could read much of the export meanwhile: what the export
   * loses is how long its writers wait on the slow node while the others have ranges left, and its timeouts are the
   * pages it queued there. A first version, 10 requests a second for 1 s, ranked the cases the same way.
   */
  private static final int EXPORT_BROWNOUT_RATE = 5;
  /** When an export's brownout starts, after its start: a quarter of a second, a fifth of an export of 200k rows. */
  private static final Duration EXPORT_BROWNOUT_AFTER = Duration.ofMillis(250);
  /** How long an export's brownout lasts: half a second, about a third of an export of 200k rows without one. */
  private static final Duration EXPORT_BROWNOUT_LENGTH = Duration.ofMillis(500);

  /** Retries of a request on the overloaded node: enough that every run completes, however many time out. */
  private static final int OVERLOAD_RETRIES = 20;

  /**
   * The same sweep on a node made easy to overload (the harness starts it with two read and two write threads when
   * this suite runs, see {@link HarnessArgs#OVERLOAD_YAML}) and under short client-side timeouts measured from lone
   * requests, as {@code AdaptiveConcurrencyIT} does: every case counts its timeouts (retried requests), so the
   * report shows rows/s and timeouts side by side. Runs that do not complete are retried and counted by the
   * harness as failed attempts; a fixed setting that fails in every attempt of a run is noted as not completed and
   * runs no more (the adaptive default may not fail). Five groups, each run only when {@code --overload-groups}
   * names it (all by default, {@link HarnessArgs#OVERLOAD_GROUPS}): count, export and import; an import through a
   * brownout of the first node; an export through a shorter, deeper one (a stall).
   */
  static Suite runOverloaded(BenchContext ctx) {
    Suite suite = new Suite("adaptive-overload", String.format(Locale.ROOT,
        "Adaptive concurrency against fixed limits on an overloaded node (%d node(s), %,d rows, "
            + "concurrent_reads and concurrent_writes 2)", ctx.nodes(), ctx.rows()));
    Path work = ctx.workDir().resolve("adaptive-overload");
    // Measured even when set, so that a page with set timeouts still shows what the node's latency was that day.
    Duration measuredReadTimeout = readTimeout(ctx);
    Duration measuredWriteTimeout = writeTimeout(ctx);
    Duration readTimeout = Objects.requireNonNullElse(ctx.overloadReadTimeout(), measuredReadTimeout);
    Duration writeTimeout = Objects.requireNonNullElse(ctx.overloadWriteTimeout(), measuredWriteTimeout);
    System.out.printf(Locale.ROOT, "adaptive-overload: client timeouts %d ms (range reads; measured %d ms), %d ms "
        + "(writes; measured %d ms)%n", readTimeout.toMillis(), measuredReadTimeout.toMillis(),
        writeTimeout.toMillis(), measuredWriteTimeout.toMillis());
    Rounds rounds = new Rounds();
    List<String> groups = ctx.overloadGroups();

    if (groups.contains("count")) {
      List<Cases.Case> counts = new ArrayList<>();
      counts.add(overloadCase(ctx, "count, adaptive default", Measurement.Role.BASELINE, rounds,
          (own, t) -> count(overloaded(own, readTimeout, t).build(), OVERLOAD_COUNT_REPEATS)));
      for (int p : COUNT_PARALLELISM) {
        counts.add(overloadCase(ctx, "count, fixed parallelism " + p, Measurement.Role.CONTENDER, rounds,
            (own, t) -> count(overloaded(own, readTimeout, t).parallelism(p).build(), OVERLOAD_COUNT_REPEATS)));
      }
      // The adaptive default without what an operator's limits learn from one count to the next: a new operator for
      // each count, every count's limits starting afresh (a variant, not one of the sweep's fixed settings).
      counts.add(overloadCase(ctx, COUNT_AFRESH, Measurement.Role.CONTENDER, rounds,
          (own, t) -> countAfresh(() -> overloaded(own, readTimeout, t).build(), OVERLOAD_COUNT_REPEATS)));
      addOverloaded(suite, "count (" + OVERLOAD_COUNT_REPEATS + " counts of the table per run): adaptive default "
          + "against fixed parallelism", counts, rounds, readTimeout, ctx, ctx.rows() * OVERLOAD_COUNT_REPEATS);
    }

    if (groups.contains("export")) {
      addOverloaded(suite, "export (CSV, " + OVERLOAD_EXPORT_WRITERS
          + " writers): adaptive default against fixed parallelism",
          overloadedExports(ctx, rounds, readTimeout, work, "export", null), rounds, readTimeout, ctx);
    }

    Path source = work.resolve("source");
    if (groups.contains("import") || groups.contains("import-brownout")) {
      export(TokenAwareBulkOperator.builder(ctx.session()).build(), source);
    }
    if (groups.contains("import")) {
      List<Cases.Case> imports = new ArrayList<>();
      imports.add(overloadCase(ctx, "import, adaptive default", Measurement.Role.BASELINE, rounds, writeTimeout,
          (writes, t) -> importOverloaded(ctx, writes, source, o -> o, t)));
      for (int n : OVERLOAD_IMPORT_IN_FLIGHT) {
        imports.add(overloadCase(ctx, "import, fixed max in flight " + n, Measurement.Role.CONTENDER, rounds,
            writeTimeout, (writes, t) -> importOverloaded(ctx, writes, source, o -> o.withMaxInFlight(n), t)));
      }
      imports.add(overloadCase(ctx, IMPORT_AFTER, Measurement.Role.CONTENDER, rounds, writeTimeout,
          (writes, t) -> {
            importOverloaded(ctx, writes, source, o -> o, new RunTally()); // not measured
            return importOverloaded(ctx, writes, source, o -> o, t);
          }));
      imports.add(overloadCase(ctx, IMPORT_AFTER_AFRESH, Measurement.Role.CONTENDER, rounds, writeTimeout,
          (writes, t) -> {
            importOverloaded(ctx, writes, source, o -> o, new RunTally()); // not measured
            return importOverloaded(ctx, writes, source, o -> o, t, null, false);
          }));
      addOverloaded(suite, "import (CSV): adaptive default against fixed requests in flight", imports, rounds,
          writeTimeout, ctx);
    }

    String brownedOut = ctx.nodes() == 1 ? "the node"
        : String.format(Locale.ROOT, "one node of %d (%s)", ctx.nodes(),
            ctx.brownoutNode() == null ? "?" : ctx.brownoutNode().address().getHostAddress());
    if (groups.contains("import-brownout")) {
      String brownoutGroup = String.format(Locale.ROOT, "import (CSV) through a brownout of %s (%d requests/s "
          + "from %.1f s to %.1f s after the start): adaptive default against fixed requests in flight", brownedOut,
          BROWNOUT_RATE, BROWNOUT_AFTER.toMillis() / 1e3, BROWNOUT_AFTER.plus(BROWNOUT_LENGTH).toMillis() / 1e3);
      throughBrownout(ctx, suite, brownoutGroup, brownout -> {
        List<Cases.Case> brownouts = new ArrayList<>();
        brownouts.add(overloadCase(ctx, "import through a brownout, adaptive default", Measurement.Role.BASELINE,
            rounds, writeTimeout, (writes, t) -> importOverloaded(ctx, writes, source, o -> o, t, brownout)));
        for (int n : ctx.nodes() == 1 ? BROWNOUT_IMPORT_IN_FLIGHT : BROWNOUT_IMPORT_IN_FLIGHT_NODES) {
          brownouts.add(overloadCase(ctx, "import through a brownout, fixed max in flight " + n,
              Measurement.Role.CONTENDER, rounds, writeTimeout,
              (writes, t) -> importOverloaded(ctx, writes, source, o -> o.withMaxInFlight(n), t, brownout)));
        }
        addOverloaded(suite, brownoutGroup, brownouts, rounds, writeTimeout, ctx);
      });
    }

    if (groups.contains("export-brownout")) {
      String brownoutGroup = String.format(Locale.ROOT, "export (CSV, %d writers) through a brownout of %s "
          + "(%d requests/s from %.2f s to %.2f s after the start): adaptive default against fixed parallelism",
          OVERLOAD_EXPORT_WRITERS, brownedOut, EXPORT_BROWNOUT_RATE, EXPORT_BROWNOUT_AFTER.toMillis() / 1e3,
          EXPORT_BROWNOUT_AFTER.plus(EXPORT_BROWNOUT_LENGTH).toMillis() / 1e3);
      throughBrownout(ctx, suite, brownoutGroup, brownout -> addOverloaded(suite, brownoutGroup,
          overloadedExports(ctx, rounds, readTimeout, work, "export through a brownout", brownout), rounds,
          readTimeout, ctx));
    }

    suite.note(String.format(Locale.ROOT, "The node runs with concurrent_reads: 2 and concurrent_writes: 2 (its "
        + "collector's pauses during each operation's cases are noted above: a pause longer than a timeout times out "
        + "every request then in flight, whatever the setting); client "
        + "request timeouts: %s for range reads and %s for writes, checked every %d ms (the driver's timer tick, by "
        + "default 100 ms: a timeout fires at the first tick after it is due); up to %d retries per request, so runs "
        + "complete. A count "
        + "case's run counts the table %d times in a row (one count takes under half a second here). Timeouts = "
        + "requests retried after a timeout or an overloaded node (count and export: range queries and pages; "
        + "import: batches retried plus batches that failed), median over the runs; every case runs once untimed "
        + "before them (a warm-up round, whose timeouts are not counted).",
        timeoutNote(ctx.overloadReadTimeout(), measuredReadTimeout, "--overload-read-timeout",
            "twice a lone range query"),
        timeoutNote(ctx.overloadWriteTimeout(), measuredWriteTimeout, "--overload-write-timeout",
            "ten times a lone write"),
        TIMER_TICK.toMillis(), OVERLOAD_RETRIES, OVERLOAD_COUNT_REPEATS));
    suite.note("Every change of the adaptive default's limits in the measured runs (the time from the operation's "
        + "start, the limit before and after, the cause and its detail; per replica set, and `all` for a limit over "
        + "all of them, e.g. a writer's pooled one) is in `" + LIMIT_TRACES + "/`, a CSV file per case; every "
        + "measured run of every case, with its seconds and timeouts, in `" + LIMIT_TRACES + "/" + RunTally.RUNS
        + "`.");
    return suite;
  }

  /**
   * Runs a brownout group: {@code cases} with a connection to the node to brown out, or only a note that
   * {@code group} was not run when the cluster opened no JMX ports.
   */
  private static void throughBrownout(BenchContext ctx, Suite suite, String group,
      java.util.function.Consumer<NodeBrownout> cases) {
    if (ctx.brownoutNode() == null) {
      suite.note(group + ": not run: it needs the nodes' local JMX ports, which the harness opens.");
      return;
    }
    try (NodeBrownout brownout = NodeBrownout.connect(ctx.brownoutNode())) {
      cases.accept(brownout);
    }
  }

  /**
   * The export cases on the overloaded node, labelled {@code what}, adaptive default and fixed parallelism; through a
   * brownout of a node (from {@link #EXPORT_BROWNOUT_AFTER} after each export's start) unless {@code brownout} is
   * null.
   */
  private static List<Cases.Case> overloadedExports(BenchContext ctx, Rounds rounds, Duration readTimeout,
      Path work, String what, NodeBrownout brownout) {
    List<Cases.Case> exports = new ArrayList<>();
    exports.add(overloadCase(ctx, what + ", adaptive default", Measurement.Role.BASELINE, rounds,
        (own, t) -> exportThrough(brownout, () -> export(overloaded(own, readTimeout, t).build(),
            work.resolve("export"), OVERLOAD_EXPORT_WRITERS))));
    for (int p : OVERLOAD_EXPORT_PARALLELISM) {
      exports.add(overloadCase(ctx, what + ", fixed parallelism " + p, Measurement.Role.CONTENDER, rounds,
          (own, t) -> exportThrough(brownout, () -> export(overloaded(own, readTimeout, t).parallelism(p).build(),
              work.resolve("export"), OVERLOAD_EXPORT_WRITERS))));
    }
    return exports;
  }

  /** Runs an export, through a brownout scheduled from its start unless {@code brownout} is null. */
  private static Cases.Sample exportThrough(NodeBrownout brownout, java.util.function.Supplier<Cases.Sample> export) {
    if (brownout == null) {
      return export.get();
    }
    try (NodeBrownout.Scheduled scheduled = brownout.schedule(EXPORT_BROWNOUT_AFTER, EXPORT_BROWNOUT_LENGTH,
        EXPORT_BROWNOUT_RATE)) {
      return export.get();
    }
  }

  /** A case of range reads (their timeout is the operator's); see the other overload. */
  private static Cases.Case overloadCase(BenchContext ctx, String label, Measurement.Role role,
      Rounds rounds, java.util.function.BiFunction<CqlSession, RunTally, Cases.Sample> run) {
    return overloadCase(ctx, label, role, rounds, Duration.ofSeconds(30), run);
  }

  /**
   * A case that runs on a session of its own, opened (untimed) for each run with {@code requestTimeout}, and counts
   * its timeouts into {@code timeouts} under its label: requests that time out on the client keep their stream ids
   * until the server answers, and a storm of them can leave a session without a usable connection for a while
   * (the harness's shared session must not be that one, nor the next case's). A run that fails (the operation, or
   * the driver, e.g. an import's prepare request under a short write timeout) is {@link Cases.RunFailed}: retried
   * and counted by the harness.
   */
  private static Cases.Case overloadCase(BenchContext ctx, String label, Measurement.Role role,
      Rounds rounds, Duration requestTimeout,
      java.util.function.BiFunction<CqlSession, RunTally, Cases.Sample> run) {
    rounds.timeouts().put(label, new ArrayList<>());
    rounds.seconds().put(label, new ArrayList<>());
    return new Cases.Case(label, role, round -> {
      RunTally t = new RunTally();
      Cases.Sample sample;
      try (CqlSession own = session(ctx, requestTimeout)) {
        sample = run.apply(own, t);
      } catch (BulkOperationException | com.datastax.oss.driver.api.core.DriverException e) {
        // e.g. the import's prepare request missing a short write timeout: nothing was written yet
        throw new Cases.RunFailed(label + " failed: " + e);
      }
      if (round >= 0) { // the warm-up round's timeouts are not counted
        rounds.timeouts().get(label).add(t.timeouts());
        Path traces = ctx.out().resolve(LIMIT_TRACES);
        t.appendRun(traces.resolve(RunTally.RUNS), label, round, sample.seconds());
        if (label.contains("adaptive default")) { // a fixed setting's only change is its start
          t.append(traces.resolve(RunTally.fileName(label)), round);
        }
        rounds.seconds().get(label).add(sample.seconds());
      }
      return sample;
    });
  }

  private static OperatorBuilder overloaded(CqlSession session, Duration timeout, RunTally tally) {
    tally.started(); // the operation runs as soon as it is built
    return TokenAwareBulkOperator.builder(session).splitCount(128).requestTimeout(timeout)
        .maxRetries(OVERLOAD_RETRIES).retryBackoff(Duration.ofMillis(20)).progressListener(tally);
  }

  private static Cases.Sample importOverloaded(BenchContext ctx, CqlSession writes, Path source,
      UnaryOperator<ImportOptions> options, RunTally tally) {
    return importOverloaded(ctx, writes, source, options, tally, null, true);
  }

  /** As above, through a brownout of the node (none when {@code brownout} is null) timed from the import's start. */
  private static Cases.Sample importOverloaded(BenchContext ctx, CqlSession writes, Path source,
      UnaryOperator<ImportOptions> options, RunTally tally, NodeBrownout brownout) {
    return importOverloaded(ctx, writes, source, options, tally, brownout, true);
  }

  /**
   * As above; {@code remember} false builds the import's operator with {@code rememberLimits(false)}, so that its
   * writer neither starts where the last writer on {@code writes} left its limits nor leaves its own behind.
   */
  private static Cases.Sample importOverloaded(BenchContext ctx, CqlSession writes, Path source,
      UnaryOperator<ImportOptions> options, RunTally tally, NodeBrownout brownout, boolean remember) {
    BenchTable.truncateCopy(ctx.session());
    long start = System.nanoTime();
    tally.started();
    ImportResult result;
    try (NodeBrownout.Scheduled scheduled = brownout == null ? () -> {}
        : brownout.schedule(BROWNOUT_AFTER, BROWNOUT_LENGTH, BROWNOUT_RATE)) {
      // The import's write retries are counted from its result below; its listener records its limits' changes.
      result = TokenAwareBulkOperator.builder(writes).progressListener(tally).rememberLimits(remember).build()
          .importFrom(
          ImportSource.csv(source), BenchTable.KEYSPACE, BenchTable.COPY, options.apply(ImportOptions.defaults()
              .withMaxRetries(OVERLOAD_RETRIES).withVerification(Verification.NONE)));
    }
    tally.timedOut(result.batchMetrics().retries() + result.writeFailures());
    return Cases.Sample.inProcess(result.rows() - result.writeFailures(), (System.nanoTime() - start) / 1e9, "");
  }

  /**
   * How a page describes one of its timeouts: measured ({@code set} is null) or set by {@code option}, with what
   * would have been measured, so that pages with set timeouts still show the node's latency of the day.
   */
  static String timeoutNote(Duration set, Duration measured, String option, String how) {
    return set == null
        ? String.format(Locale.ROOT, "%d ms (%s, at least %d ms)", measured.toMillis(), how,
            HarnessArgs.MIN_OVERLOAD_TIMEOUT_MILLIS)
        : String.format(Locale.ROOT, "%d ms (set by %s; measured as %s, it would have been %d ms)", set.toMillis(),
            option, how, measured.toMillis());
  }

  /** Twice the time of a lone range query of a 128-piece plan (median of 16), at least 30 ms. */
  private static Duration readTimeout(BenchContext ctx) {
    TokenAwareBulkOperator lone = TokenAwareBulkOperator.builder(ctx.session()).splitCount(128).parallelism(1)
        .build();
    List<TokenRange> pieces = lone.plan(BenchTable.KEYSPACE, BenchTable.TABLE).interleaved();
    long[] nanos = new long[16];
    for (int i = 0; i < nanos.length; i++) {
      long started = System.nanoTime();
      lone.count(BenchTable.KEYSPACE, BenchTable.TABLE, pieces.subList(i, i + 1));
      nanos[i] = System.nanoTime() - started;
    }
    Arrays.sort(nanos);
    return Duration.ofMillis(Math.max(HarnessArgs.MIN_OVERLOAD_TIMEOUT_MILLIS,
        2 * nanos[nanos.length / 2] / 1_000_000));
  }

  /** Ten times the median of 200 lone writes of a bench row into the copy table, at least 30 ms. */
  private static Duration writeTimeout(BenchContext ctx) {
    CqlSession session = ctx.session();
    PreparedStatement insert = session.prepare("INSERT INTO " + BenchTable.KEYSPACE + "." + BenchTable.COPY
        + " (id, seq, name) VALUES (?, 0, 'probe')");
    long[] nanos = new long[200];
    for (int i = 0; i < nanos.length; i++) {
      long started = System.nanoTime();
      session.execute(insert.bind((long) i));
      nanos[i] = System.nanoTime() - started;
    }
    BenchTable.truncateCopy(session);
    Arrays.sort(nanos);
    return Duration.ofMillis(Math.max(HarnessArgs.MIN_OVERLOAD_TIMEOUT_MILLIS,
        10 * nanos[nanos.length / 2] / 1_000_000));
  }

  /**
   * How often the driver's timer looks for requests that timed out: it fires a timeout at its first tick after the
   * timeout is due, so at its default tick of 100 ms a 30 ms timeout fires 30 to 130 ms after the request was sent
   * (a trace of the overloaded node's writes found timeouts after 31 to 116 ms); the shortest tick Ringsweep's own
   * sessions use, 10 ms, keeps each timeout within 10 ms of what the notes say.
   */
  private static final Duration TIMER_TICK = DriverSettings.MIN_TIMER_TICK;

  /**
   * A session of its own whose requests time out after {@code timeout} (the import's writes), checked every
   * {@link #TIMER_TICK} (also the range reads' own timeouts).
   */
  private static CqlSession session(BenchContext ctx, Duration timeout) {
    return CqlSession.builder().addContactPoints(ctx.contactPoints()).withLocalDatacenter(ctx.localDc())
        .withConfigLoader(DriverSettings.promptClose(DriverConfigLoader.programmaticBuilder())
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
            .withDuration(DefaultDriverOption.NETTY_TIMER_TICK_DURATION, TIMER_TICK)
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
            .withBoolean(DefaultDriverOption.REQUEST_LOG_WARNINGS, false)
            .build())
        .build();
  }

  /**
   * As {@link #add}, and notes each case's median timeouts, whether the adaptive default had the fewest, and the
   * node's collector pauses while the cases ran, against their requests' {@code timeout}.
   */
  private static void addOverloaded(Suite suite, String group, List<Cases.Case> cases,
      Rounds rounds, Duration timeout, BenchContext ctx) {
    addOverloaded(suite, group, cases, rounds, timeout, ctx, ctx.rows());
  }

  /** As above, where each run of a case processes {@code expectedRows} rows. */
  private static void addOverloaded(Suite suite, String group, List<Cases.Case> cases,
      Rounds rounds, Duration timeout, BenchContext ctx, long expectedRows) {
    Map<String, String> failed = new LinkedHashMap<>();
    GcPauses pauses = GcPauses.mark(ctx.nodeGcLogs());
    add(suite, group, cases, ctx, failed, expectedRows);
    suite.note(String.format(Locale.ROOT, "%s: the node's collector while its cases ran (warm-up round included): %s "
        + "(the requests' timeout).", group, pauses.summary(timeout.toMillis())));
    StringBuilder line = new StringBuilder(group + ", timeouts (median): ");
    long adaptive = median(rounds.timeouts().get(cases.get(0).label()));
    long fewestFixed = Long.MAX_VALUE;
    for (int i = 0; i < cases.size(); i++) {
      String label = cases.get(i).label();
      if (i > 0) {
        line.append("; ");
      }
      if (failed.containsKey(label)) {
        // It did not complete: its timeouts up to then say nothing of a whole run.
        line.append(label).append(" did not complete");
        continue;
      }
      long m = median(rounds.timeouts().get(label));
      if (i > 0 && isFixed(label)) {
        fewestFixed = Math.min(fewestFixed, m);
      }
      line.append(label).append(' ').append(m);
    }
    line.append(adaptive < fewestFixed ? " — adaptive had the fewest."
        : adaptive == fewestFixed ? " — adaptive tied for the fewest." : " — adaptive did NOT have the fewest.");
    suite.note(line.toString());
    suite.note(group + ", the adaptive default against each fixed setting in both measures (median rows/s and "
        + "timeouts): " + dominance(suite.group(group), cases.get(0).label(), rounds.timeouts(), failed) + ".");
    suite.note(group + ", round by round against the adaptive default in the same round: "
        + roundByRound(rounds, cases.get(0).label(), cases.stream().skip(1).map(Cases.Case::label)
            .filter(AdaptiveSuite::isFixed).toList(), failed)
        + ".");
    List<String> variants = cases.stream().skip(1).map(Cases.Case::label).filter(l -> !isFixed(l)).toList();
    if (!variants.isEmpty()) {
      suite.note(group + ", the adaptive default against its variants: " + variants(suite.group(group),
          cases.get(0).label(), variants, rounds, failed) + ".");
    }
    Map<String, double[]> points = new LinkedHashMap<>();
    for (Measurement m : suite.group(group)) {
      if (!failed.containsKey(m.label())) {
        points.put(m.label(), new double[] {median(rounds.timeouts().get(m.label())) + 1, m.rowsPerSecond()});
      }
    }
    suite.chart(suite.name() + "-timeouts-" + suite.groups().size() + ".png", file -> Charts.points(file,
        group + " — rows/s against timeouts (medians)", "timeouts per run + 1 (logarithmic)",
        "rows/s (higher is faster)", true, points));
  }

  /**
   * The fixed settings that the adaptive default ({@code adaptiveLabel}) is ahead of in both measures (more rows/s,
   * fewer timeouts), those ahead of it in both or ahead in one and level in the other, and the rest (ahead of it in
   * one measure and behind in the other, or level in both), for humans. The lists lean against the adaptive default:
   * a level measure counts for a fixed setting that is ahead in the other, never for the adaptive default.
   */
  static String dominance(List<Measurement> measured, String adaptiveLabel,
      Map<String, List<Long>> timeouts, Map<String, String> failed) {
    Measurement adaptive = measured.stream().filter(m -> m.label().equals(adaptiveLabel)).findFirst().orElse(null);
    if (adaptive == null) {
      return "not measured";
    }
    long adaptiveTimeouts = median(timeouts.get(adaptiveLabel));
    List<String> behindAdaptive = new ArrayList<>();
    List<String> aheadOfAdaptive = new ArrayList<>();
    List<String> mixed = new ArrayList<>();
    for (Measurement m : measured) {
      if (m.label().equals(adaptiveLabel) || failed.containsKey(m.label()) || !isFixed(m.label())) {
        continue;
      }
      int rows = Double.compare(adaptive.rowsPerSecond(), m.rowsPerSecond()); // > 0: adaptive faster
      int fewer = Long.compare(median(timeouts.get(m.label())), adaptiveTimeouts); // > 0: adaptive fewer
      if (rows > 0 && fewer > 0) {
        behindAdaptive.add(m.label());
      } else if (rows <= 0 && fewer <= 0 && (rows < 0 || fewer < 0)) {
        aheadOfAdaptive.add(m.label());
      } else {
        mixed.add(m.label());
      }
    }
    return String.format(Locale.ROOT, "behind it in both: %s; ahead of it (in both, or in one and level in the "
        + "other): %s; the rest: %s", list(behindAdaptive), list(aheadOfAdaptive), list(mixed));
  }

  /** What each case met in each of a group's rounds, in round order (not the warm-up round), by label. */
  record Rounds(Map<String, List<Long>> timeouts, Map<String, List<Double>> seconds) {
    Rounds() {
      this(new LinkedHashMap<>(), new LinkedHashMap<>());
    }
  }

  /**
   * Round by round, for humans: the adaptive default ({@code adaptiveLabel}) against each of {@code fixedLabels} that
   * ran every round, in the same round (a round runs every case once, in a shuffled order, so its cases met about the
   * same machine): in how many rounds the fixed setting was faster, met fewer timeouts, was ahead in both measures
   * (or in one and level in the other), and was behind in both. Medians hide how often a small lead changes hands: a
   * setting ahead in every round is ahead beyond the machine's noise, one ahead in some rounds and behind in others is
   * not.
   */
  static String roundByRound(Rounds rounds, String adaptiveLabel, List<String> fixedLabels,
      Map<String, String> failed) {
    List<Double> adaptiveSeconds = rounds.seconds().get(adaptiveLabel);
    List<Long> adaptiveTimeouts = rounds.timeouts().get(adaptiveLabel);
    List<String> parts = new ArrayList<>();
    for (String label : fixedLabels) {
      List<Double> seconds = rounds.seconds().get(label);
      List<Long> timeouts = rounds.timeouts().get(label);
      if (failed.containsKey(label) || seconds == null || seconds.size() != adaptiveSeconds.size()) {
        continue;
      }
      int faster = 0;
      int fewer = 0;
      int ahead = 0;
      int behind = 0;
      for (int i = 0; i < seconds.size(); i++) {
        int time = Double.compare(seconds.get(i), adaptiveSeconds.get(i)); // < 0: the fixed setting was faster
        int count = Long.compare(timeouts.get(i), adaptiveTimeouts.get(i)); // < 0: it met fewer timeouts
        faster += time < 0 ? 1 : 0;
        fewer += count < 0 ? 1 : 0;
        ahead += time <= 0 && count <= 0 && (time < 0 || count < 0) ? 1 : 0;
        behind += time > 0 && count > 0 ? 1 : 0;
      }
      parts.add(String.format(Locale.ROOT, "%s faster in %d, fewer timeouts in %d, ahead in both (or one and level) "
          + "in %d, behind in both in %d of %d", label, faster, fewer, ahead, behind, seconds.size()));
    }
    return parts.isEmpty() ? "no fixed setting ran every round" : String.join("; ", parts);
  }

  /**
   * Each variant of the adaptive default ({@code adaptiveLabel}) against it, for humans: median rows/s as a ratio of
   * the adaptive default's, median timeouts of both, and in how many rounds the variant was faster and met fewer
   * timeouts.
   */
  static String variants(List<Measurement> measured, String adaptiveLabel, List<String> variantLabels,
      Rounds rounds, Map<String, String> failed) {
    Measurement adaptive = measured.stream().filter(m -> m.label().equals(adaptiveLabel)).findFirst().orElse(null);
    List<String> parts = new ArrayList<>();
    for (String label : variantLabels) {
      Measurement variant = measured.stream().filter(m -> m.label().equals(label)).findFirst().orElse(null);
      if (adaptive == null || variant == null || failed.containsKey(label)) {
        parts.add(label + " did not complete");
        continue;
      }
      List<Double> seconds = rounds.seconds().get(label);
      List<Double> adaptiveSeconds = rounds.seconds().get(adaptiveLabel);
      int faster = 0;
      int fewer = 0;
      int n = Math.min(seconds.size(), adaptiveSeconds.size());
      for (int i = 0; i < n; i++) {
        faster += seconds.get(i) < adaptiveSeconds.get(i) ? 1 : 0;
        fewer += rounds.timeouts().get(label).get(i) < rounds.timeouts().get(adaptiveLabel).get(i) ? 1 : 0;
      }
      parts.add(String.format(Locale.ROOT, "%s %,.0f rows/s = %.2f× the adaptive default's, %d timeouts (median; "
          + "the adaptive default %d), faster in %d and fewer timeouts in %d of %d rounds", label,
          variant.rowsPerSecond(), variant.rowsPerSecond() / adaptive.rowsPerSecond(),
          median(rounds.timeouts().get(label)), median(rounds.timeouts().get(adaptiveLabel)), faster, fewer, n));
    }
    return String.join("; ", parts);
  }

  private static String list(List<String> labels) {
    return labels.isEmpty() ? "none" : String.join(", ", labels);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }

  /**
   * Measures one operation's cases after an untimed warm-up run of each ({@link Cases#measureAfterWarmUp}), then notes
   * how the adaptive default compares with the fixed settings.
   */
  private static void add(Suite suite, String group, List<Cases.Case> cases, BenchContext ctx) {
    Rounds rounds = new Rounds();
    List<Cases.Case> timed = cases.stream().map(c -> {
      List<Double> seconds = new ArrayList<>();
      rounds.seconds().put(c.label(), seconds);
      return new Cases.Case(c.label(), c.role(), round -> {
        Cases.Sample sample = c.run().apply(round);
        if (round >= 0) { // not the warm-up round
          seconds.add(sample.seconds());
        }
        return sample;
      });
    }).toList();
    add(suite, group, timed, ctx, null, ctx.rows());
    suite.note(group + ", round by round (each fixed setting against the adaptive default in the same round): "
        + fasterRoundByRound(rounds, cases.get(0).label(),
            cases.stream().skip(1).map(Cases.Case::label).filter(AdaptiveSuite::isFixed).toList()) + ".");
  }

  /**
   * Round by round, for humans, in time only (the healthy suite counts no timeouts): for each of {@code fixedLabels}
   * that ran every round, in how many rounds it was faster than the adaptive default ({@code adaptiveLabel}), and in
   * how many the adaptive default was within 10% of it (its time at most 1/0.9 of the fixed setting's). The median of
   * a few runs can put the adaptive default just outside 10% of a setting that it is within 10% of in most rounds, or
   * the other way round; this shows which.
   */
  static String fasterRoundByRound(Rounds rounds, String adaptiveLabel, List<String> fixedLabels) {
    List<Double> adaptiveSeconds = rounds.seconds().get(adaptiveLabel);
    List<String> parts = new ArrayList<>();
    for (String label : fixedLabels) {
      List<Double> seconds = rounds.seconds().get(label);
      if (seconds == null || seconds.size() != adaptiveSeconds.size()) {
        continue;
      }
      int faster = 0;
      int within = 0;
      for (int i = 0; i < seconds.size(); i++) {
        faster += seconds.get(i) < adaptiveSeconds.get(i) ? 1 : 0;
        within += adaptiveSeconds.get(i) * 0.9 <= seconds.get(i) ? 1 : 0;
      }
      parts.add(String.format(Locale.ROOT, "%s faster in %d, the adaptive default within 10%% of it in %d of %d",
          label, faster, within, seconds.size()));
    }
    return parts.isEmpty() ? "no fixed setting ran every round" : String.join("; ", parts);
  }

  /**
   * As {@link #add(Suite, String, List, BenchContext)}; with {@code failed} not null, a fixed setting that fails in
   * every attempt (on the overloaded node: e.g. its connections closed by the driver under a storm of timed-out
   * requests) is noted as not completed instead of failing the comparison, and compared with no more. Each run of
   * a case must process {@code expectedRows} rows.
   */
  private static void add(Suite suite, String group, List<Cases.Case> cases, BenchContext ctx,
      Map<String, String> failed, long expectedRows) {
    System.out.println("adaptive: " + group);
    List<Measurement> measured = failed == null ? Cases.measureAfterWarmUp(group, cases, ctx.runs(), expectedRows)
        : Cases.measureAllowingFailures(group, cases, ctx.runs(), expectedRows, failed);
    measured.forEach(suite::add);
    if (failed != null) {
      failed.forEach((label, why) -> suite.note(String.format(Locale.ROOT, "%s: %s did not complete: %s; the "
          + "adaptive default completed every run.", group, label, why)));
    }
    if (measured.size() < 2) {
      return;
    }
    Measurement adaptive = measured.get(0);
    List<Measurement> fixed = measured.subList(1, measured.size()).stream().filter(m -> isFixed(m.label())).toList();
    Measurement best = fixed.stream().max(Comparator.comparingDouble(Measurement::rowsPerSecond)).orElseThrow();
    Measurement worst = fixed.stream().min(Comparator.comparingDouble(Measurement::rowsPerSecond)).orElseThrow();
    double toBest = adaptive.rowsPerSecond() / best.rowsPerSecond();
    suite.note(String.format(Locale.ROOT, "%s: adaptive %,.0f rows/s = %.2f× the best fixed setting (%s, %,.0f "
            + "rows/s), %s; %.2f× the worst (%s, %,.0f rows/s).", group, adaptive.rowsPerSecond(), toBest,
        best.label(), best.rowsPerSecond(), toBest >= 0.9 ? "within 10%" : "NOT within 10%",
        adaptive.rowsPerSecond() / worst.rowsPerSecond(), worst.label(), worst.rowsPerSecond()));
  }

  private static Cases.Sample count(TokenAwareBulkOperator op) {
    return count(op, 1);
  }

  /** Counts the table {@code times} times in a row, each with the operator {@code operators} gives for it. */
  private static Cases.Sample countAfresh(java.util.function.Supplier<TokenAwareBulkOperator> operators, int times) {
    long start = System.nanoTime();
    long rows = 0;
    for (int i = 0; i < times; i++) {
      rows += operators.get().count(BenchTable.KEYSPACE, BenchTable.TABLE).rows();
    }
    return Cases.Sample.inProcess(rows, (System.nanoTime() - start) / 1e9, "");
  }

  /**
   * Whether the contender of {@code label} is one of a sweep's fixed settings rather than a variant of the adaptive
   * default ({@link #VARIANTS}), which the comparisons with the fixed settings leave out.
   */
  static boolean isFixed(String label) {
    return !VARIANTS.contains(label);
  }

  /** Counts the table {@code times} times in a row with {@code op}: the rows are all the counts' together. */
  private static Cases.Sample count(TokenAwareBulkOperator op, int times) {
    return countAfresh(() -> op, times);
  }

  private static Cases.Sample export(TokenAwareBulkOperator op, Path out) {
    return export(op, out, EXPORT_WRITERS);
  }

  private static Cases.Sample export(TokenAwareBulkOperator op, Path out, int writers) {
    delete(out);
    long start = System.nanoTime();
    ExportResult result = op.export(BenchTable.KEYSPACE, BenchTable.TABLE, ExportTarget.csv(out),
        ExportOptions.defaults().withWriters(writers));
    return Cases.Sample.inProcess(result.rows(), (System.nanoTime() - start) / 1e9, "");
  }

  private static Cases.Sample importCsv(BenchContext ctx, Path source, ImportOptions options) {
    BenchTable.truncateCopy(ctx.session());
    long start = System.nanoTime();
    ImportResult result = TokenAwareBulkOperator.builder(ctx.session()).build().importFrom(ImportSource.csv(source),
        BenchTable.KEYSPACE, BenchTable.COPY, options.withVerification(Verification.NONE));
    return Cases.Sample.inProcess(result.rows(), (System.nanoTime() - start) / 1e9, "");
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir, e);
    }
  }
}
