package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.token.TokenRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many Spark tasks a job gets: the table's size from {@code system.size_estimates} divided by
 * {@link SparkOptions#taskSizeMb()}, at least two per Spark core; the piece count when Cassandra has no estimate
 * for the table (or only estimates of zero, as before the table's first flush); always between the plan's replica
 * groups and its pieces (see {@link SparkOptions}).
 */
final class TaskSizing {

  private static final Logger LOG = LoggerFactory.getLogger(TaskSizing.class);
  private static final long MEGABYTE = 1L << 20;

  private TaskSizing() {}

  /**
   * One row of {@code system.size_estimates}: a token range of the node's primary ranges, its estimated partitions
   * and their mean size in bytes.
   */
  record Estimate(long rangeStart, long rangeEnd, long partitions, long meanPartitionBytes) {}

  /**
   * The table's estimated size in bytes: the estimated bytes of the ranges the rows cover, scaled up by the part of
   * the ring they cover (one node's estimates stand for the whole ring). Empty when there is no row, or when every
   * row says zero bytes: Cassandra estimates from SSTables only, so a table whose rows are all still in memtables
   * (never flushed) shows zero however large it is, and zero is then no estimate at all.
   */
  static OptionalLong tableBytes(List<Estimate> estimates) {
    double bytes = 0;
    double fraction = 0;
    for (Estimate e : estimates) {
      bytes += (double) Math.max(0, e.partitions()) * Math.max(0, e.meanPartitionBytes());
      fraction += TokenRange.of(e.rangeStart(), e.rangeEnd()).fraction();
    }
    if (estimates.isEmpty() || fraction <= 0 || bytes <= 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) Math.ceil(bytes / Math.min(1.0, fraction)));
  }

  /**
   * The number of tasks to ask {@link TaskPieces#cut} for.
   *
   * @param options {@link SparkOptions#tasks()} wins when positive
   * @param pieces the plan's pieces (the most tasks that can get one)
   * @param cores Spark's default parallelism
   * @param tableBytes the estimated table size, empty without an estimate
   */
  static int tasks(SparkOptions options, int pieces, int cores, OptionalLong tableBytes) {
    if (options.tasks() > 0) {
      return options.tasks();
    }
    if (tableBytes.isEmpty()) {
      return Math.max(1, pieces);
    }
    long bySize = (tableBytes.getAsLong() + options.taskSizeMb() * MEGABYTE - 1) / (options.taskSizeMb() * MEGABYTE);
    long wanted = Math.max(bySize, 2L * Math.max(1, cores));
    return (int) Math.max(1, Math.min(wanted, pieces));
  }

  /**
   * The size estimates of a table on the node the driver asks, or an empty list when there are none or they cannot
   * be read (e.g. no permission on the {@code system} keyspace; it is logged).
   */
  static List<Estimate> read(CqlSession session, String keyspace, String table, Duration timeout) {
    List<Estimate> estimates = new ArrayList<>();
    try {
      for (Row row : session.execute(SimpleStatement.newInstance("SELECT range_start, range_end, partitions_count, "
              + "mean_partition_size FROM system.size_estimates WHERE keyspace_name = ? AND table_name = ?",
          keyspace, table).setTimeout(timeout))) {
        estimates.add(new Estimate(Long.parseLong(row.getString(0)), Long.parseLong(row.getString(1)),
            row.getLong(2), row.getLong(3)));
      }
    } catch (DriverException | NumberFormatException e) {
      LOG.info("No size estimates of {}.{} ({}); one task per token-range piece", keyspace, table, e.toString());
      return List.of();
    }
    return estimates;
  }
}
