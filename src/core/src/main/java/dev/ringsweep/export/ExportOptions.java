package dev.ringsweep.export;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Options of one export; immutable, each {@code with...} method returns a new instance. Range queries use the
 * operator's options (consistency, page size, timeout, retries, split count).
 *
 * <p>Defaults ({@link #defaults()}): all columns; no writetime/TTL columns; {@link Resume#NEW}; the checkpoint in
 * the target's default place (inside a directory target, or {@code <warehouse>/_ringsweep_checkpoints/<table>.json}
 * for a warehouse; none for a user catalog unless {@link #withCheckpointFile} is set); {@link #defaultWriters()} writer threads; a
 * checkpoint every 60 seconds; no read rate limit.
 *
 * @param columns the columns to export, in order, as CQL names ({@code "\"MixedCase\""} keeps its case); empty for
 *     all columns in the table's order
 * @param writetimeAndTtl regular columns that get two extra columns {@code <c>_writetime} and {@code <c>_ttl}
 * @param resume whether to continue from the checkpoint
 * @param checkpointFile where the checkpoint lives, or null for the target's default place
 * @param writers writer threads, each running range queries and rolling its own files; positive
 * @param checkpointInterval how often each writer closes its files and records its finished token intervals;
 *     zero records after every token range
 * @param maxRowsPerSecond a cap on rows read per second, over all writers, or infinity for none
 * @param maxBytesPerSecond a cap on bytes of query results read per second, over all writers, or infinity for none
 */
public record ExportOptions(
    List<String> columns,
    List<String> writetimeAndTtl,
    Resume resume,
    Path checkpointFile,
    int writers,
    Duration checkpointInterval,
    double maxRowsPerSecond,
    double maxBytesPerSecond) {

  /** Validates the options. */
  public ExportOptions {
    columns = names("column", columns);
    writetimeAndTtl = names("writetime/TTL column", writetimeAndTtl);
    Objects.requireNonNull(resume, "resume");
    if (writers <= 0) {
      throw new IllegalArgumentException(String.format("Invalid writer count: %s (must be > 0)", writers));
    }
    if (writers > MAX_WRITERS) {
      // Each writer is a thread with two pages and an open file: thousands only exhaust the client.
      throw new IllegalArgumentException(String.format("Invalid writer count: %s (must be at most %s)", writers,
          MAX_WRITERS));
    }
    if (checkpointInterval == null || checkpointInterval.isNegative()) {
      throw new IllegalArgumentException(
          String.format("Invalid checkpoint interval: %s (must be >= 0)", checkpointInterval));
    }
    if (checkpointInterval.compareTo(MAX_CHECKPOINT_INTERVAL) > 0) {
      throw new IllegalArgumentException(String.format("Invalid checkpoint interval: %s (must be at most %s)",
          checkpointInterval, MAX_CHECKPOINT_INTERVAL));
    }
    checkRate("rows per second", maxRowsPerSecond);
    checkRate("bytes per second", maxBytesPerSecond);
  }

  /** A rate limit is a positive finite number, or infinity for none. */
  private static void checkRate(String what, double rate) {
    if (!(rate > 0) || (rate < 1e-3)) {
      throw new IllegalArgumentException(String.format(
          "Invalid read rate limit: %s %s (must be at least 0.001, or infinity for no limit)", rate, what));
    }
  }

  private static List<String> names(String what, List<String> names) {
    Objects.requireNonNull(names, what + "s");
    for (String name : names) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            String.format("Invalid %s name: %s (must not be blank) in %s", what, name == null ? "null"
                : "'" + name + "'", names));
      }
    }
    return List.copyOf(names);
  }

  /** The most writer threads an export may have: 1,024. */
  public static final int MAX_WRITERS = 1024;

  /** The longest {@link #checkpointInterval()}: 1 day. */
  public static final Duration MAX_CHECKPOINT_INTERVAL = Duration.ofDays(1);

  /** The most writer threads {@link #defaultWriters()} picks, however many processors there are. */
  public static final int MAX_DEFAULT_WRITERS = 16;

  /**
   * The writer threads of the default options: one per available processor, at least 2 and at most
   * {@value #MAX_DEFAULT_WRITERS}. The client, not the server, bounds an export's speed (each row is decoded and
   * encoded on the client), so it scales with the client's cores; memory grows with it (two pages and the open
   * files' buffers, at most one 8 MiB row group, per writer).
   */
  public static int defaultWriters() {
    return Math.max(2, Math.min(MAX_DEFAULT_WRITERS, Runtime.getRuntime().availableProcessors()));
  }

  /** The default options (with {@link #defaultWriters()} writer threads). */
  public static ExportOptions defaults() {
    return new ExportOptions(List.of(), List.of(), Resume.NEW, null, defaultWriters(), Duration.ofSeconds(60),
        Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
  }

  /** These options exporting only these columns, in this order. */
  public ExportOptions withColumns(String... names) {
    return new ExportOptions(
        Arrays.asList(names), writetimeAndTtl, resume, checkpointFile, writers, checkpointInterval, maxRowsPerSecond, maxBytesPerSecond);
  }

  /** These options adding {@code <c>_writetime} and {@code <c>_ttl} columns for these regular columns. */
  public ExportOptions withWritetimeAndTtl(String... names) {
    return new ExportOptions(columns, Arrays.asList(names), resume, checkpointFile, writers, checkpointInterval, maxRowsPerSecond, maxBytesPerSecond);
  }

  /** These options with another resume mode. */
  public ExportOptions withResume(Resume mode) {
    return new ExportOptions(columns, writetimeAndTtl, mode, checkpointFile, writers, checkpointInterval, maxRowsPerSecond, maxBytesPerSecond);
  }

  /** These options keeping the checkpoint in this file. */
  public ExportOptions withCheckpointFile(Path file) {
    return new ExportOptions(columns, writetimeAndTtl, resume, file, writers, checkpointInterval, maxRowsPerSecond, maxBytesPerSecond);
  }

  /** These options with another number of writer threads. */
  public ExportOptions withWriters(int count) {
    return new ExportOptions(columns, writetimeAndTtl, resume, checkpointFile, count, checkpointInterval, maxRowsPerSecond, maxBytesPerSecond);
  }

  /** These options with another checkpoint interval. */
  public ExportOptions withCheckpointInterval(Duration interval) {
    return new ExportOptions(columns, writetimeAndTtl, resume, checkpointFile, writers, interval, maxRowsPerSecond, maxBytesPerSecond);
  }

  /** These options reading at most {@code rows} rows per second over all writers (a cap on the cluster's load). */
  public ExportOptions withMaxRowsPerSecond(double rows) {
    return new ExportOptions(columns, writetimeAndTtl, resume, checkpointFile, writers, checkpointInterval, rows,
        maxBytesPerSecond);
  }

  /** These options reading at most {@code bytes} bytes of query results per second over all writers. */
  public ExportOptions withMaxBytesPerSecond(double bytes) {
    return new ExportOptions(columns, writetimeAndTtl, resume, checkpointFile, writers, checkpointInterval,
        maxRowsPerSecond, bytes);
  }

  /** Whether a read rate limit is set. */
  public boolean isRateLimited() {
    return !Double.isInfinite(maxRowsPerSecond) || !Double.isInfinite(maxBytesPerSecond);
  }
}
