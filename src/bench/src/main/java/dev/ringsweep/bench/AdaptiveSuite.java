package dev.ringsweep.bench;

import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

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
  /** Fixed write requests in flight of an import. */
  private static final int[] IMPORT_IN_FLIGHT = {8, 32, 64, 256};

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
    System.out.println("adaptive: count, warming up");
    counts.get(0).run().apply(-1);
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
        + "64 requests). Every case runs in the harness's JVM (wall time only), CSV files on local disk; the import "
        + "empties bench.data_copy before each run (untimed) and skips verification.");
    return suite;
  }

  /** Measures one operation's cases, then notes how the adaptive default compares with the fixed settings. */
  private static void add(Suite suite, String group, List<Cases.Case> cases, BenchContext ctx) {
    System.out.println("adaptive: " + group);
    List<Measurement> measured = Cases.measure(group, cases, ctx.runs(), ctx.rows());
    measured.forEach(suite::add);
    Measurement adaptive = measured.get(0);
    List<Measurement> fixed = measured.subList(1, measured.size());
    Measurement best = fixed.stream().max(Comparator.comparingDouble(Measurement::rowsPerSecond)).orElseThrow();
    Measurement worst = fixed.stream().min(Comparator.comparingDouble(Measurement::rowsPerSecond)).orElseThrow();
    double toBest = adaptive.rowsPerSecond() / best.rowsPerSecond();
    suite.note(String.format(Locale.ROOT, "%s: adaptive %,.0f rows/s = %.2f× the best fixed setting (%s, %,.0f "
            + "rows/s), %s; %.2f× the worst (%s, %,.0f rows/s).", group, adaptive.rowsPerSecond(), toBest,
        best.label(), best.rowsPerSecond(), toBest >= 0.9 ? "within 10%" : "NOT within 10%",
        adaptive.rowsPerSecond() / worst.rowsPerSecond(), worst.label(), worst.rowsPerSecond()));
  }

  private static Cases.Sample count(TokenAwareBulkOperator op) {
    long start = System.nanoTime();
    CountResult result = op.count(BenchTable.KEYSPACE, BenchTable.TABLE);
    return Cases.Sample.inProcess(result.rows(), (System.nanoTime() - start) / 1e9, "");
  }

  private static Cases.Sample export(TokenAwareBulkOperator op, Path out) {
    delete(out);
    long start = System.nanoTime();
    ExportResult result = op.export(BenchTable.KEYSPACE, BenchTable.TABLE, ExportTarget.csv(out),
        ExportOptions.defaults().withWriters(EXPORT_WRITERS));
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
