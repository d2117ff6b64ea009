package dev.ringsweep.bench;

import dev.ringsweep.cluster.SstableTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Scaling: the same operations at growing row counts (e.g. 1M then 5M), the table grown in place between sizes.
 * Each operation is a group whose baseline is its smallest size, so the report gives the time ratio and the peak RSS
 * ratio of the larger size; constant client memory shows as an RSS ratio near 1.
 */
final class ScalingSuite {

  private ScalingSuite() {}

  /** One operation measured at every size. */
  private record Operation(String kind, String name, Function<BenchContext, Cases.Sample> run) {}

  static Suite run(BenchContext ctx, List<Long> sizes, String format, List<String> kinds) {
    Suite suite = new Suite("scaling", String.format(Locale.ROOT, "Scaling (%d node(s), %s rows)", ctx.nodes(),
        String.join(" vs ", sizes.stream().map(s -> String.format(Locale.ROOT, "%,d", s)).toList())))
        .ratio(Suite.Ratio.TIME);
    List<Operation> operations = List.of(
        new Operation("count", "ringsweep count", c -> {
          ChildJvm.Run run = c.runRingsweep("scaling-count", c.ringsweep("count", "-k", BenchTable.KEYSPACE, "-t",
              BenchTable.TABLE), 120);
          return Cases.Sample.of("ringsweep count", run, CountSuite.leadingNumber(run.output()), "");
        }),
        new Operation("export", "Ringsweep export → " + format, c -> TransferSuites.ringsweepExport(c, format)),
        new Operation("export", "DSBulk unload → CSV", TransferSuites::dsbulkUnload),
        new Operation("import", "Ringsweep import ← " + format, c -> TransferSuites.ringsweepImport(c, format)),
        new Operation("import", "DSBulk load ← CSV", TransferSuites::dsbulkLoad))
        .stream().filter(op -> kinds.contains(op.kind())).toList();
    long loaded = ctx.rows();
    List<Measurement> all = new ArrayList<>();
    for (int i = 0; i < sizes.size(); i++) {
      long size = sizes.get(i);
      if (size > loaded) {
        System.out.printf(Locale.ROOT, "scaling: growing bench.data from %,d to %,d rows…%n", loaded, size);
        BenchTable.insert(ctx.session(), loaded, size);
        System.out.printf(Locale.ROOT, "scaling: waited %.1f s for compactions to finish%n",
            SstableTasks.awaitIdle(ctx.session(), null, Duration.ofMinutes(10)).toMillis() / 1e3);
        loaded = size;
      } else if (size < loaded) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "Invalid scaling size: %,d (the table already holds %,d rows; sizes must grow)", size, loaded));
      }
      BenchContext sized = ctx.withRows(size);
      System.out.printf(Locale.ROOT, "scaling: %,d rows%n", size);
      for (Operation op : operations) {
        System.out.println(" " + op.name());
        Cases.Case c = new Cases.Case(String.format(Locale.ROOT, "%,d rows", size),
            i == 0 ? Measurement.Role.BASELINE : Measurement.Role.CONTENDER, round -> op.run().apply(sized));
        all.addAll(Cases.measure(op.name(), List.of(c), ctx.runs(), size));
      }
    }
    for (Operation op : operations) {
      all.stream().filter(m -> m.group().equals(op.name())).forEach(suite::add);
    }
    suite.note("Each operation is its own group; its baseline is the smallest size. A time ratio equal to the size "
        + "ratio means linear scaling; an RSS ratio near 1 means client memory does not grow with the table.");
    return suite;
  }
}
