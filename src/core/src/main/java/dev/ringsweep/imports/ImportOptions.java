package dev.ringsweep.imports;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.batch.BatchWriterOptions;
import dev.ringsweep.batch.Grouping;
import dev.ringsweep.export.Resume;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of one import; immutable, each {@code with...} method returns a new instance.
 *
 * <p>Defaults ({@link #defaults()}): {@link BatchMode#UNLOGGED} batches grouped by {@link Grouping#PARTITION_KEY}
 * (a counter table always gets {@link BatchMode#COUNTER} unless the mode is {@link BatchMode#NONE}); an adaptive
 * limit of write requests in flight that moves with the cluster's write latency and errors between 1 and a ceiling of
 * 64 per node of the data center written to (64 on one node, 192 on three, at most {@value #MAX_PER_NODE_CEILING};
 * see {@link #maxInFlightFor}), starting at a quarter of that ceiling, per replica set under that ceiling on a cluster
 * of several nodes ({@link #withMaxInFlight} fixes it instead); no rate limit; consistency {@code LOCAL_QUORUM};
 * {@link #defaultReaders()} reader threads; an error budget of 100 failed rows; bad records in
 * {@code <java.io.tmpdir>/ringsweep-bad-records-<keyspace>.<table>-<run>.jsonl} (created only when there is one);
 * {@link Verification#COUNT}; 3 retries of a failed write; no checkpoint, {@link Resume#NEW}; a counter table must be
 * empty ({@link CounterTarget#EMPTY_ONLY}).
 *
 * @param batchMode how rows become requests (see {@link dev.ringsweep.batch.BatchWriter})
 * @param grouping how UNLOGGED and COUNTER batches group rows
 * @param maxInFlight write requests in flight at most, 1 to 32768: the ceiling of an adaptive limit, or the fixed
 *     limit
 * @param concurrency whether the limit of write requests in flight adapts to the cluster's latency and errors (the
 *     default) or is fixed at {@code maxInFlight}
 * @param maxRowsPerSecond a rate limit on rows written per second (> 0), or infinity for none
 * @param consistencyLevel consistency level of the writes and of the verification's reads
 * @param readers reader threads, each reading one split (file, row group, or Iceberg task) at a time; positive
 * @param errorBudget when failed rows stop the import
 * @param badRecordsFile where bad records go (JSON lines), or null for the default place
 * @param verification what is checked after writing
 * @param maxRetries retries of a write that timed out or found replicas unavailable, 0 to 100
 * @param resume whether to continue from the checkpoint
 * @param checkpointFile where the import records the splits it finished, or null for no checkpoint
 * @param counterTarget whether a counter table that already holds rows is refused (the default) or added to
 * @param maxInFlightPerNode whether an adaptive limit's ceiling is {@code maxInFlight} per node of the data center
 *     written to (the default: {@link #maxInFlightFor}) rather than for the whole import; {@link #withMaxInFlight}
 *     makes it the whole import's. A fixed limit is always the whole import's.
 */
public record ImportOptions(
    BatchMode batchMode,
    Grouping grouping,
    int maxInFlight,
    ConcurrencyMode concurrency,
    double maxRowsPerSecond,
    ConsistencyLevel consistencyLevel,
    int readers,
    ErrorBudget errorBudget,
    Path badRecordsFile,
    Verification verification,
    int maxRetries,
    Resume resume,
    Path checkpointFile,
    CounterTarget counterTarget,
    boolean maxInFlightPerNode) {

  /**
   * The most write requests in flight an adaptive import's ceiling reaches when it is {@link #maxInFlightPerNode()
   * per node}, however many nodes the data center has; 1024 (a {@link #maxInFlight()} above it stays as it is).
   */
  public static final int MAX_PER_NODE_CEILING = 1024;

  /** Validates the options, naming the bad value. */
  public ImportOptions {
    Objects.requireNonNull(batchMode, "batchMode");
    Objects.requireNonNull(grouping, "grouping");
    Objects.requireNonNull(consistencyLevel, "consistencyLevel");
    Objects.requireNonNull(errorBudget, "errorBudget");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(resume, "resume");
    Objects.requireNonNull(counterTarget, "counterTarget");
    Objects.requireNonNull(concurrency, "concurrency");
    if (readers <= 0) {
      throw new IllegalArgumentException(String.format("Invalid reader count: %s (must be > 0)", readers));
    }
    // Cassandra takes SERIAL and LOCAL_SERIAL for conditional writes and single-partition reads only: every write
    // would fail.
    if (consistencyLevel.isSerial()) {
      throw new IllegalArgumentException(String.format("Invalid consistency level: %s (an import writes and verifies "
          + "at ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM or EACH_QUORUM)", consistencyLevel.name()));
    }
    // The writer's own checks, with its messages.
    writerOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, maxRetries);
  }

  /**
   * Options with a fixed limit of {@code maxInFlight} write requests ({@link ConcurrencyMode#FIXED}): the form these
   * options had before the limit could adapt, kept so that code building them by hand compiles and means what it
   * meant.
   */
  public ImportOptions(BatchMode batchMode, Grouping grouping, int maxInFlight, double maxRowsPerSecond,
      ConsistencyLevel consistencyLevel, int readers, ErrorBudget errorBudget, Path badRecordsFile,
      Verification verification, int maxRetries, Resume resume, Path checkpointFile, CounterTarget counterTarget) {
    this(batchMode, grouping, maxInFlight, ConcurrencyMode.FIXED, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget, false);
  }

  /**
   * Options whose {@code maxInFlight} is the ceiling of the whole import, not {@link #maxInFlightPerNode() per node}:
   * the form these options had before the default ceiling grew with the data center, kept so that code building them
   * by hand compiles and means what it meant.
   */
  public ImportOptions(BatchMode batchMode, Grouping grouping, int maxInFlight, ConcurrencyMode concurrency,
      double maxRowsPerSecond, ConsistencyLevel consistencyLevel, int readers, ErrorBudget errorBudget,
      Path badRecordsFile, Verification verification, int maxRetries, Resume resume, Path checkpointFile,
      CounterTarget counterTarget) {
    this(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers, errorBudget,
        badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget, false);
  }

  /**
   * The ceiling of write requests in flight of an import into a data center of {@code nodes} nodes: with an
   * {@link ConcurrencyMode#ADAPTIVE adaptive} limit {@link #maxInFlightPerNode() per node}, {@link #maxInFlight()}
   * per node, at most {@link #MAX_PER_NODE_CEILING} (and never less than {@link #maxInFlight()}); otherwise
   * {@link #maxInFlight()}.
   *
   * @param nodes the nodes of the data center the import writes to (of the cluster, if it has no local data
   *     center); positive
   */
  public int maxInFlightFor(int nodes) {
    if (nodes <= 0) {
      throw new IllegalArgumentException(String.format("Invalid node count: %s (must be > 0)", nodes));
    }
    if (concurrency != ConcurrencyMode.ADAPTIVE || !maxInFlightPerNode) {
      return maxInFlight;
    }
    long perNode = (long) maxInFlight * nodes;
    return (int) Math.min(perNode, Math.max(maxInFlight, MAX_PER_NODE_CEILING));
  }

  /** The most reader threads {@link #defaultReaders()} picks, however many processors there are. */
  public static final int MAX_DEFAULT_READERS = 16;

  /**
   * The reader threads of the default options: one per available processor, at least 2 and at most
   * {@value #MAX_DEFAULT_READERS} (reading and converting rows is the client's work; each reader holds one row group
   * and its share of the chunks in flight).
   */
  public static int defaultReaders() {
    return Math.max(2, Math.min(MAX_DEFAULT_READERS, Runtime.getRuntime().availableProcessors()));
  }

  /** The default options (with {@link #defaultReaders()} reader threads). */
  public static ImportOptions defaults() {
    return new ImportOptions(BatchMode.UNLOGGED, Grouping.PARTITION_KEY, BatchWriterOptions.DEFAULT_MAX_IN_FLIGHT,
        ConcurrencyMode.ADAPTIVE, Double.POSITIVE_INFINITY, DefaultConsistencyLevel.LOCAL_QUORUM, defaultReaders(),
        ErrorBudget.count(100), null, Verification.COUNT, BatchWriterOptions.DEFAULT_MAX_RETRIES, Resume.NEW, null,
        CounterTarget.EMPTY_ONLY, true);
  }

  /** These options with another batch mode (see {@link dev.ringsweep.batch.BatchWriter}). */
  public ImportOptions withBatchMode(BatchMode mode) {
    return new ImportOptions(mode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget,
        maxInFlightPerNode);
  }

  /** These options with another grouping of UNLOGGED and COUNTER batches. */
  public ImportOptions withGrouping(Grouping value) {
    return new ImportOptions(batchMode, value, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget,
        maxInFlightPerNode);
  }

  /**
   * These options with at most {@code requests} write requests in flight, fixed ({@link ConcurrencyMode#FIXED}): the
   * number given wins over the adaptive default, even while the cluster times out. To keep the limit adaptive with
   * this as the whole import's ceiling (however many nodes), call {@link #withConcurrency withConcurrency(ADAPTIVE)}
   * after this.
   */
  public ImportOptions withMaxInFlight(int requests) {
    return new ImportOptions(batchMode, grouping, requests, ConcurrencyMode.FIXED, maxRowsPerSecond, consistencyLevel,
        readers, errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget, false);
  }

  /**
   * These options with the limit of write requests in flight {@link ConcurrencyMode#ADAPTIVE adaptive} (up to
   * {@link #maxInFlightFor its ceiling}: {@link #maxInFlight()} per node unless {@link #withMaxInFlight} set it for the
   * whole import) or {@link ConcurrencyMode#FIXED fixed} at {@link #maxInFlight()}.
   */
  public ImportOptions withConcurrency(ConcurrencyMode mode) {
    return new ImportOptions(batchMode, grouping, maxInFlight, mode, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget,
        maxInFlightPerNode);
  }

  /** These options writing at most {@code rows} rows per second. */
  public ImportOptions withMaxRowsPerSecond(double rows) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, rows, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget,
        maxInFlightPerNode);
  }

  /** These options with another consistency level for writes and verification. */
  public ImportOptions withConsistencyLevel(ConsistencyLevel level) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, level, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget,
        maxInFlightPerNode);
  }

  /** These options with {@code count} reader threads. */
  public ImportOptions withReaders(int count) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, count,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget,
        maxInFlightPerNode);
  }

  /** These options with another error budget. */
  public ImportOptions withErrorBudget(ErrorBudget budget) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel,
        readers, budget, badRecordsFile, verification, maxRetries, resume, checkpointFile, counterTarget,
        maxInFlightPerNode);
  }

  /** These options writing bad records to {@code file} (appended to if it exists). */
  public ImportOptions withBadRecordsFile(Path file) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, file, verification, maxRetries, resume, checkpointFile, counterTarget, maxInFlightPerNode);
  }

  /** These options with another verification. */
  public ImportOptions withVerification(Verification value) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, value, maxRetries, resume, checkpointFile, counterTarget, maxInFlightPerNode);
  }

  /** These options retrying a failed write at most {@code retries} times. */
  public ImportOptions withMaxRetries(int retries) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, retries, resume, checkpointFile, counterTarget, maxInFlightPerNode);
  }

  /**
   * These options recording, in {@code file}, every split of the source whose rows were all read and written, so
   * that a run {@link #withResume(Resume) resumed} after a failure skips them. The file holds no row values and no
   * credentials.
   */
  public ImportOptions withCheckpointFile(Path file) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, file, counterTarget, maxInFlightPerNode);
  }

  /**
   * These options with another resume mode: {@link Resume#RESUME} continues from the checkpoint file (which must
   * then be set), skipping the splits it records as done; {@link Resume#NEW} starts afresh, replacing it.
   */
  public ImportOptions withResume(Resume mode) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, mode, checkpointFile, counterTarget, maxInFlightPerNode);
  }

  /**
   * These options with another rule for counter tables: {@link CounterTarget#ADD_TO_EXISTING} adds the source's
   * counts to a counter table that already holds rows, which {@link CounterTarget#EMPTY_ONLY} (the default) refuses.
   */
  public ImportOptions withCounterTarget(CounterTarget value) {
    return new ImportOptions(batchMode, grouping, maxInFlight, concurrency, maxRowsPerSecond, consistencyLevel, readers,
        errorBudget, badRecordsFile, verification, maxRetries, resume, checkpointFile, value, maxInFlightPerNode);
  }

  /** The BatchWriter settings these options imply for a table with or without counters. */
  public BatchWriterOptions writerOptions(boolean counterTable) {
    BatchMode mode = counterTable && batchMode != BatchMode.NONE ? BatchMode.COUNTER : batchMode;
    return writerOptions(mode, grouping, maxInFlight, concurrency, maxRowsPerSecond, maxRetries);
  }

  private static BatchWriterOptions writerOptions(
      BatchMode mode, Grouping grouping, int maxInFlight, ConcurrencyMode concurrency, double rate, int retries) {
    BatchWriterOptions d = BatchWriterOptions.defaults();
    return new BatchWriterOptions(mode, grouping, d.maxStatementsPerBatch(), d.warnStatementsPerBatch(),
        d.maxBatchBytes(), maxInFlight, concurrency, rate, retries, d.initialBackoff(), d.maxBackoff());
  }
}
