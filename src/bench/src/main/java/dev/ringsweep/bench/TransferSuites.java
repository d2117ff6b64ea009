package dev.ringsweep.bench;

import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Export and import, each tool in a measured child JVM: Ringsweep's command line ({@code ringsweep export} to each
 * format; {@code ringsweep import} from it) against DSBulk ({@code unload} to CSV; {@code load} of that CSV).
 * Every run is checked: the files written hold every row (DSBulk: CSV lines less one header per file; Ringsweep:
 * the count it reports), and after an import the copy table is counted.
 */
final class TransferSuites {

  private TransferSuites() {}

  /** Where the last export of a case is kept (imports read from here). */
  static Path exportDir(BenchContext ctx, String format) {
    return ctx.workDir().resolve("export").resolve(format);
  }

  static Suite export(BenchContext ctx, List<String> formats) {
    Suite suite = new Suite("export", String.format(Locale.ROOT, "Export (%d node(s), %,d rows)", ctx.nodes(),
        ctx.rows()));
    List<Cases.Case> cases = cases("DSBulk unload → CSV", () -> dsbulkUnload(ctx), "Ringsweep → ", formats,
        format -> ringsweepExport(ctx, format));
    if (formats.contains("parquet")) {
      // The default writer count follows the processors; one case with more writers than that shows whether an
      // export waits on the server (more writers help) or on the client's CPU (they do not).
      int writers = 2 * dev.ringsweep.export.ExportOptions.defaultWriters();
      cases.add(new Cases.Case("Ringsweep → Parquet, --writers " + writers, Measurement.Role.CONTENDER,
          round -> ringsweepExport(ctx, Table.BENCH, "parquet", "--writers", Integer.toString(writers))));
    }
    System.out.println("export");
    Cases.measure("export the whole table to files", cases, ctx.runs(), ctx.rows()).forEach(suite::add);
    suite.note("Both tools with their default settings (and one Ringsweep case with twice its default writer "
        + "threads); output on the same disk as the Cassandra node(s).");
    return suite;
  }

  static Suite importing(BenchContext ctx, List<String> formats) {
    Suite suite = new Suite("import", String.format(Locale.ROOT, "Import (%d node(s), %,d rows)", ctx.nodes(),
        ctx.rows()));
    if (!Files.isDirectory(exportDir(ctx, "dsbulk-csv"))) {
      dsbulkUnload(ctx);
    }
    for (String format : formats) {
      if (!Files.isDirectory(exportDir(ctx, format))) {
        ringsweepExport(ctx, format);
      }
    }
    List<Cases.Case> cases = cases("DSBulk load ← CSV", () -> dsbulkLoad(ctx), "Ringsweep ← ", formats,
        format -> ringsweepImport(ctx, format));
    System.out.println("import");
    Cases.measure("import every row into an empty table", cases, ctx.runs(), ctx.rows()).forEach(suite::add);
    suite.note("Rows are counted in the copy table after every run (not timed); the table is truncated before.");
    return suite;
  }

  /**
   * The every-type table ({@link TypesTable}, min(--rows, {@value #TYPES_ROWS}) rows): export to each format vs
   * {@code dsbulk unload}, then import of each export vs {@code dsbulk load}, so that a row's client CPU (µs per row)
   * is measured for every CQL type and not only for {@code bench.data}'s common few.
   */
  static Suite types(BenchContext ctx, List<String> formats) {
    long rows = Math.min(ctx.rows(), TYPES_ROWS);
    Suite suite = new Suite("types", String.format(Locale.ROOT,
        "Every CQL type (%d node(s), %,d rows of bench.types)", ctx.nodes(), rows));
    Table types = new Table(TypesTable.TABLE, TypesTable.COPY);
    long started = System.nanoTime();
    TypesTable.create(ctx.session());
    TypesTable.insert(ctx.session(), rows);
    System.out.printf(Locale.ROOT, "Loaded %,d rows into bench.types in %.1f s%n", rows,
        (System.nanoTime() - started) / 1e9);
    System.out.println("types: export");
    Cases.measure("export bench.types to files", cases("DSBulk unload → CSV", () -> dsbulkUnload(ctx, types),
        "Ringsweep → ", formats, format -> ringsweepExport(ctx, types, format)), ctx.runs(), rows)
        .forEach(suite::add);
    System.out.println("types: import");
    Cases.measure("import bench.types into an empty table", cases("DSBulk load ← CSV", () -> dsbulkLoad(ctx, types),
        "Ringsweep ← ", formats, format -> ringsweepImport(ctx, types, format)), ctx.runs(), rows)
        .forEach(suite::add);
    suite.note(String.format(Locale.ROOT, "bench.types: %d columns, one of each CQL type an export writes (every "
        + "scalar, list, set, map, tuple, UDT, a frozen list of maps), one row per partition, every fifth row with "
        + "null collections; both tools with their default settings. No vector column: DSBulk 1.10 cannot read a "
        + "keyspace that has one.", TypesTable.columnCount()));
    return suite;
  }

  /** DSBulk's case (the baseline), then Ringsweep's case of each format. */
  private static List<Cases.Case> cases(String baseline, java.util.function.Supplier<Cases.Sample> dsbulk,
      String prefix, List<String> formats, java.util.function.Function<String, Cases.Sample> ringsweep) {
    List<Cases.Case> cases = new ArrayList<>();
    cases.add(new Cases.Case(baseline, Measurement.Role.BASELINE, round -> dsbulk.get()));
    for (String format : formats) {
      cases.add(new Cases.Case(prefix + display(format), Measurement.Role.CONTENDER,
          round -> ringsweep.apply(format)));
    }
    return cases;
  }

  /** Rows of {@code bench.types} at most. */
  static final long TYPES_ROWS = 200_000;

  /** A source table and the copy that imports go into, both in keyspace {@code bench}. */
  record Table(String name, String copy) {
    static final Table BENCH = new Table(BenchTable.TABLE, BenchTable.COPY);

    /** The directory key of this table's exports in {@code format}. */
    String dir(String format) {
      return equals(BENCH) ? format : name + "-" + format;
    }
  }

  /** Truncates the copy table, loads DSBulk's last CSV export into it, and counts it. */
  static Cases.Sample dsbulkLoad(BenchContext ctx) {
    return dsbulkLoad(ctx, Table.BENCH);
  }

  static Cases.Sample dsbulkLoad(BenchContext ctx, Table table) {
    truncate(ctx, table);
    ChildJvm.Run run = ctx.runDsBulk("dsbulk-load", ctx.dsbulk().load(BenchTable.KEYSPACE, table.copy(),
        exportDir(ctx, table.dir("dsbulk-csv"))), 240);
    return Cases.Sample.of("DSBulk load", run, countCopy(ctx, table), "");
  }

  /** Truncates the copy table, imports Ringsweep's last export in {@code format} into it, and counts it. */
  static Cases.Sample ringsweepImport(BenchContext ctx, String format) {
    return ringsweepImport(ctx, Table.BENCH, format);
  }

  static Cases.Sample ringsweepImport(BenchContext ctx, Table table, String format) {
    truncate(ctx, table);
    List<String> args = new ArrayList<>(List.of("-k", BenchTable.KEYSPACE, "-t", table.copy(), "--format", format,
        "--source", exportDir(ctx, table.dir(format)).toString()));
    if (format.equals("iceberg")) {
      args.addAll(List.of("--iceberg-table", BenchTable.KEYSPACE + "." + table.name())); // as exported
    }
    ChildJvm.Run run = ctx.runRingsweep("ringsweep-import-" + format, ctx.ringsweep("import",
        args.toArray(String[]::new)), 240);
    return Cases.Sample.of("Ringsweep import from " + format, run, countCopy(ctx, table), "");
  }

  /** Exports the table with DSBulk to CSV (into {@link #exportDir}), checking the rows in the files. */
  static Cases.Sample dsbulkUnload(BenchContext ctx) {
    return dsbulkUnload(ctx, Table.BENCH);
  }

  static Cases.Sample dsbulkUnload(BenchContext ctx, Table table) {
    Path dir = clean(exportDir(ctx, table.dir("dsbulk-csv")));
    ChildJvm.Run run = ctx.runDsBulk("dsbulk-unload", ctx.dsbulk().unload(BenchTable.KEYSPACE, table.name(),
        dir), 120);
    return Cases.Sample.of("DSBulk unload", run, csvRows(dir), size(dir));
  }

  /** Exports the table with Ringsweep's command line (into {@link #exportDir}), checking the rows it reports. */
  static Cases.Sample ringsweepExport(BenchContext ctx, String format) {
    return ringsweepExport(ctx, Table.BENCH, format);
  }

  /** As {@link #ringsweepExport(BenchContext, String)}, of {@code table}, with {@code extra} options. */
  static Cases.Sample ringsweepExport(BenchContext ctx, Table table, String format, String... extra) {
    // Not where imports read a format's export from, when the options differ from the defaults.
    Path dir = clean(exportDir(ctx, table.dir(format) + (extra.length == 0 ? "" : "-" + String.join("", extra))));
    List<String> args = new ArrayList<>(List.of("-k", BenchTable.KEYSPACE, "-t", table.name(), "--format", format,
        "--target", dir.toString()));
    args.addAll(List.of(extra));
    ChildJvm.Run run = ctx.runRingsweep("ringsweep-export-" + format, ctx.ringsweep("export",
        args.toArray(String[]::new)), 120);
    return Cases.Sample.of("Ringsweep export to " + format, run, CountSuite.leadingNumber(run.output()), size(dir));
  }

  private static void truncate(BenchContext ctx, Table table) {
    if (table.equals(Table.BENCH)) {
      BenchTable.truncateCopy(ctx.session());
    } else {
      TypesTable.truncateCopy(ctx.session());
    }
  }

  /** The rows of {@code bench.data_copy}, counted by Ringsweep in the harness's JVM. */
  static long countCopy(BenchContext ctx) {
    return countCopy(ctx, Table.BENCH);
  }

  static long countCopy(BenchContext ctx, Table table) {
    CountResult result = TokenAwareBulkOperator.builder(ctx.session()).build()
        .count(BenchTable.KEYSPACE, table.copy());
    return result.rows();
  }

  /** Data lines of DSBulk's CSV files: all lines less one header line per file. */
  static long csvRows(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      long rows = 0;
      for (Path file : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
        try (Stream<String> lines = Files.lines(file)) {
          rows += lines.count() - 1;
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      long bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      return String.format(Locale.ROOT, "%.1f MiB written", bytes / 1048576.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and what it holds, and creates its parent; returns it. */
  static Path clean(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir.getParent());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean " + dir, e);
    }
  }

  private static String display(String format) {
    return switch (format) {
      case "csv" -> "CSV";
      case "json" -> "JSON lines";
      case "parquet" -> "Parquet";
      case "iceberg" -> "Iceberg";
      default -> format;
    };
  }
}
