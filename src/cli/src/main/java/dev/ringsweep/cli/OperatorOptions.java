package dev.ringsweep.cli;

import dev.ringsweep.OperatorBuilder;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.DurationText;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The main options of a {@link TokenAwareBulkOperator} on the command line (a picocli mixin). Options left out keep
 * the library's defaults, which are derived from the cluster; every value is checked as it is parsed, and the error
 * names the option.
 */
final class OperatorOptions {

  /** Request timeout when {@code --timeout} is not given: the library's default. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  private Integer splits;
  private Integer parallelism;
  private Integer maxParallelism;
  private Integer pageSize;
  private Duration timeout = DEFAULT_TIMEOUT;
  private Integer maxRetries;
  private Duration retryBackoff;

  private DefaultConsistencyLevel consistency;

  @Option(names = "--consistency", paramLabel = "LEVEL",
      description = "Consistency level of the range queries: ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM or EACH_QUORUM (default LOCAL_ONE; import: also of its writes, default LOCAL_QUORUM).")
  void consistency(DefaultConsistencyLevel value) {
    try {
      dev.ringsweep.OperatorOptions.requireRangeReadable(value);
    } catch (IllegalArgumentException e) {
      // Core's message names the level and the valid ones: "Invalid consistency level: SERIAL (range reads ...)".
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--consistency': "
          + e.getMessage().replaceFirst("^Invalid consistency level: ", ""));
    }
    consistency = value;
  }

  @Option(names = "--splits", paramLabel = "N",
      description = "Target number of token-range pieces (default: derived from parallelism and the ring; at most "
          + "1048576).")
  void splits(int value) {
    splits = positive("--splits", value);
    if (value > dev.ringsweep.OperatorOptions.MAX_SPLIT_COUNT) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid value for option '--splits': %s (must be 1 to %s)", value,
          dev.ringsweep.OperatorOptions.MAX_SPLIT_COUNT));
    }
  }

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Range queries in flight at most, fixed: the number given holds even while the cluster times out "
          + "(default: adaptive, following the cluster's latency and errors up to 16 per node of the local data "
          + "center, at least 16 and at most 256).")
  void parallelism(int value) {
    parallelism = positive("--parallelism", value);
    checkNotBoth();
    if (value > dev.ringsweep.OperatorOptions.MAX_PARALLELISM) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid value for option '--parallelism': %s (must be 1 to %s; the default follows the nodes of the "
              + "local data center)", value, dev.ringsweep.OperatorOptions.MAX_PARALLELISM));
    }
  }

  @Option(names = "--max-parallelism", paramLabel = "N",
      description = "Ceiling of the adaptive limit of range queries in flight: it still follows the cluster, but "
          + "never goes above N (not with --parallelism, which fixes the limit).")
  void maxParallelism(int value) {
    maxParallelism = positive("--max-parallelism", value);
    checkNotBoth();
    if (value > dev.ringsweep.OperatorOptions.MAX_PARALLELISM) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid value for option '--max-parallelism': %s (must be 1 to %s)", value,
          dev.ringsweep.OperatorOptions.MAX_PARALLELISM));
    }
  }

  @Option(names = "--no-remember-limits",
      description = "Start every adaptive limit afresh (its share of a quarter of its ceiling, then climbing) rather "
          + "than where this run's last operation of the same kind left it (an import's count after it starts where "
          + "the count before it left off, by default).")
  private boolean noRememberLimits;

  @Option(names = "--page-size", paramLabel = "ROWS", description = "Page size of the range queries (default 5000).")
  void pageSize(int value) {
    pageSize = positive("--page-size", value);
  }

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Timeout of one request, e.g. 30s, 500ms, 2m or PT1M (default 30s, at most 1h).")
  void timeout(Duration value) {
    if (value.isZero() || value.isNegative()
        || value.compareTo(dev.ringsweep.OperatorOptions.MAX_REQUEST_TIMEOUT) > 0) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid value for option '--timeout': %s (must be > 0 and at most %s)", value,
          dev.ringsweep.OperatorOptions.MAX_REQUEST_TIMEOUT));
    }
    timeout = value;
  }

  @Option(names = "--max-retries", paramLabel = "N",
      description = "Retries of a failing range query before the range is split (timeouts) or given up (default 3, "
          + "at most 100).")
  void maxRetries(int value) {
    if (value < 0 || value > dev.ringsweep.OperatorOptions.MAX_RETRIES) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid value for option '--max-retries': %s (must be 0 to %s)", value,
          dev.ringsweep.OperatorOptions.MAX_RETRIES));
    }
    maxRetries = value;
  }

  @Option(names = "--retry-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Wait before the first retry of a failing range query, e.g. 100ms or 2s; each further retry of "
          + "the range waits twice as long, up to 32 times this (default 100ms, at most 1m).")
  void retryBackoff(Duration value) {
    if (value.isNegative() || value.compareTo(dev.ringsweep.OperatorOptions.MAX_RETRY_BACKOFF) > 0) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid value for option '--retry-backoff': %s (must be 0 to %s)", value,
          dev.ringsweep.OperatorOptions.MAX_RETRY_BACKOFF));
    }
    retryBackoff = value;
  }

  /** The retries of a failing range query given, if any. */
  Optional<Integer> maxRetries() {
    return Optional.ofNullable(maxRetries);
  }

  /** The first backoff between retries of a range query given, if any. */
  Optional<Duration> retryBackoff() {
    return Optional.ofNullable(retryBackoff);
  }

  /** The request timeout in force (also used for the session's own requests). */
  Duration timeout() {
    return timeout;
  }

  /** Whether the operator's adaptive limits start where its last operation of the same kind left them. */
  boolean rememberLimits() {
    return !noRememberLimits;
  }

  /** The consistency level given, if any (import also uses it for its writes). */
  Optional<DefaultConsistencyLevel> consistency() {
    return Optional.ofNullable(consistency);
  }

  /** Applies the options that were given to {@code builder}. */
  OperatorBuilder applyTo(OperatorBuilder builder) {
    if (splits != null) {
      builder.splitCount(splits);
    }
    if (parallelism != null) {
      builder.parallelism(parallelism);
    }
    if (maxParallelism != null) {
      builder.maxParallelism(maxParallelism);
    }
    if (pageSize != null) {
      builder.pageSize(pageSize);
    }
    if (consistency != null) {
      builder.consistencyLevel(consistency);
    }
    if (maxRetries != null) {
      builder.maxRetries(maxRetries);
    }
    if (retryBackoff != null) {
      builder.retryBackoff(retryBackoff);
    }
    if (!rememberLimits()) {
      builder.rememberLimits(false);
    }
    return builder.requestTimeout(timeout);
  }

  /** Refuses {@code --parallelism} with {@code --max-parallelism}, as soon as the second is parsed. */
  private void checkNotBoth() {
    if (parallelism != null && maxParallelism != null) {
      throw new ParameterException(spec.commandLine(), String.format("Options '--parallelism' (%s) and "
          + "'--max-parallelism' (%s) cannot be combined: the first fixes the limit of range queries in flight, "
          + "the second caps an adaptive one", parallelism, maxParallelism));
    }
  }

  private int positive(String option, int value) {
    if (value <= 0) {
      throw new ParameterException(spec.commandLine(),
          String.format("Invalid value for option '%s': %s (must be > 0)", option, value));
    }
    return value;
  }

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or an ISO-8601 duration such as {@code PT1M} (as
   * {@code spark-submit} does: {@link DurationText}).
   */
  static final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
      try {
        return DurationText.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
