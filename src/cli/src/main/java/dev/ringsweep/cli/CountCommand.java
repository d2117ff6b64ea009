package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ringsweep count}: the exact row count of one table, counted over its token ranges in parallel.
 *
 * <p>Standard output gets one line that starts with the count, e.g.
 * {@code 200000 rows in shop.orders (1.92 s, 104,166 rows/s, 64 token ranges, parallelism 8)}; the progress bar goes
 * to standard error.
 */
@Command(name = "count", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Count the rows of a table exactly, token range by token range, in parallel.")
final class CountCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private TableOptions table;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OperatorOptions operatorOptions;

  @Mixin
  private DisplayOptions display;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (CqlSession session = connection.connect(operatorOptions.timeout());
        ProgressBars.RangeBar bar = display.bars().ranges("count " + table.qualifiedName())) {
      TokenAwareBulkOperator operator =
          operatorOptions.applyTo(TokenAwareBulkOperator.builder(session)).progressListener(bar.listener()).build();
      CountResult result = operator.count(table.keyspace(), table.table());
      bar.close();
      out.println(describe(result, table.qualifiedName(), operator.options().parallelism()));
      out.flush();
    }
    return 0;
  }

  /** The one-line summary printed for a count; it starts with the plain number of rows. */
  static String describe(CountResult result, String table, int parallelism) {
    return String.format(Locale.ROOT, "%d rows in %s (%.2f s, %,.0f rows/s, %d token ranges, parallelism %d)",
        result.rows(), table, result.duration().toNanos() / 1e9, result.rowsPerSecond(), result.rangesTotal(),
        parallelism);
  }
}
