package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.CountOptions;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ringsweep count}: the exact row count of one table, counted over its token ranges in parallel.
 *
 * <p>Standard output gets one line that starts with the count, e.g.
 * {@code 200000 rows in shop.orders (1.92 s, 104,166 rows/s, 64 token ranges, parallelism 8)}; the progress bar,
 * with the current limit of range queries in flight, goes to standard error.
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

  @Option(names = "--max-rows-per-second", paramLabel = "N",
      description = "Count at most N rows per second, on average: the rate at which the servers scan rows for the "
          + "count (a count returns one number per token range, so there is no bytes cap; default: no limit).")
  private Double maxRowsPerSecond;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    CountOptions countOptions = countOptions(); // checked before connecting
    try (CqlSession session = connection.connect(operatorOptions.timeout());
        ProgressBars.RangeBar bar = display.bars().ranges("count " + table.qualifiedName())) {
      TokenAwareBulkOperator operator =
          operatorOptions.applyTo(TokenAwareBulkOperator.builder(session)).progressListener(bar.listener()).build();
      CountResult result = operator.count(table.keyspace(), table.table(), countOptions);
      bar.close();
      out.println(describe(result, table.qualifiedName(), operator.options()));
      out.flush();
    }
    return 0;
  }

  private CountOptions countOptions() {
    if (maxRowsPerSecond == null) {
      return CountOptions.defaults();
    }
    try {
      return CountOptions.defaults().withMaxRowsPerSecond(maxRowsPerSecond);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          String.format("Invalid value for option '--max-rows-per-second': %s", e.getMessage()));
    }
  }

  /**
   * The one-line summary printed for a count; it starts with the plain number of rows, and ends with the
   * parallelism: {@code parallelism 8} when fixed, {@code adaptive parallelism up to 16} otherwise.
   */
  static String describe(CountResult result, String table, dev.ringsweep.OperatorOptions options) {
    String parallelism = options.concurrency() == ConcurrencyMode.FIXED
        ? "parallelism " + options.parallelism()
        : "adaptive parallelism up to " + options.parallelism();
    return String.format(Locale.ROOT, "%d rows in %s (%.2f s, %,.0f rows/s, %d token ranges, %s)",
        result.rows(), table, result.duration().toNanos() / 1e9, result.rowsPerSecond(), result.rangesTotal(),
        parallelism);
  }
}
