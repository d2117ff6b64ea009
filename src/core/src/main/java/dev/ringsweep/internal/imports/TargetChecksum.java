package dev.ringsweep.internal.imports;

import dev.ringsweep.internal.format.CqlValues;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.internal.InFlightLimit;
import dev.ringsweep.internal.OperationContext;
import dev.ringsweep.imports.Verification;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataType;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.Progress;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.Retrying;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.token.TokenRange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@link Checksum} of a whole target table read back by token range (the imported columns only): one range query
 * per planned piece, routed to a replica, page by page, retried and split like a count. Its limit of pieces in flight
 * is adaptive unless the operator's parallelism is fixed, and learns from the slowest page of each piece
 * ({@link #limitSettings}).
 */
final class TargetChecksum {

  /** Rows and checksum of one piece, and the longest round trip of its page requests, in nanoseconds. */
  private record Part(long rows, long sum, long longestNanos) {

    Part plus(Part other) {
      return new Part(rows + other.rows, sum + other.sum, Math.max(longestNanos, other.longestNanos));
    }
  }

  private TargetChecksum() {}

  /**
   * The limit of pieces read back at once: fixed at the operator's parallelism when the user set one; else adaptive up
   * to it, learning from each piece's slowest page request ({@link RangeExecutor.Sink#roundTripNanos}) rather than
   * from the whole piece's time (a piece of many pages takes as long as its data, while each page request has the
   * whole timeout), and backing off when a page succeeds after more than half of the operator's request timeout, by as
   * much as the latency says, as an export's pages do ({@link InFlightLimit.Settings#scalingNearTimeout}): a page
   * holds at most a page size of rows, so a page that nears the timeout says that the requests queued behind it will
   * time out. With the default request timeout (30 s) that never fires.
   */
  static InFlightLimit.Settings limitSettings(OperatorOptions options) {
    InFlightLimit.Settings settings = InFlightLimit.Settings.of(options);
    return options.concurrency() == ConcurrencyMode.ADAPTIVE
        ? settings.withRequestTimeout(options.requestTimeout()).scalingNearTimeout()
        : settings;
  }

  /**
   * Reads every row of {@code table} in {@code pieces} (the whole ring's plan, or a part of it).
   *
   * @param groupOf the replica set of each piece, for a limit per replica set (see {@link RangeExecutor#replicaSets})
   *
   * @param failure what to throw when some ranges cannot be read: given the message, failed ranges and cause
   * @return the rows read and their checksum
   */
  static ImportOperation.TargetSum compute(OperationContext context, TableMetadata table, List<ColumnMetadata> columns,
      List<TokenRange> pieces, Function<TokenRange, String> groupOf, FailureFactory failure) {
    CqlSession session = context.session();
    OperatorOptions options = context.options();
    TokenMap tokens = session.getMetadata().getTokenMap()
        .orElseThrow(() -> new IllegalStateException("No token metadata"));
    List<DataType> types = columns.stream().map(ColumnMetadata::getType).toList();
    String selection = columns.stream().map(c -> c.getName().asCql(true)).collect(Collectors.joining(", "));
    RangeQuery query = RangeQuery.of(table, selection);
    PreparedStatement exclusive = Retrying.prepare(session, RangeQuery.toPrepare(query.exclusiveCql(), options), options);
    PreparedStatement inclusive = Retrying.prepare(session, RangeQuery.toPrepare(query.inclusiveCql(), options), options);
    long[] total = new long[2];
    List<TokenRange> failed = new ArrayList<>();
    Throwable[] first = new Throwable[1];
    int[] finished = new int[1];
    RangeExecutor.Sink<Part> sink = new RangeExecutor.ReportingSink<>(context.progress()) {
      @Override
      public void succeeded(TokenRange planned, TokenRange piece, Part part) {
        total[0] += part.rows();
        total[1] += part.sum();
      }

      @Override
      public long roundTripNanos(Part part) {
        return part.longestNanos();
      }

      @Override
      public void finished(TokenRange planned, List<TokenRange> failedPieces, Throwable error) {
        failed.addAll(failedPieces);
        if (error != null && first[0] == null) {
          first[0] = error;
        }
        context.progress().onProgress(new Progress(++finished[0], pieces.size(), total[0]));
      }
    };
    CompletableFuture<Void> done = RangeExecutor.run(
        pieces,
        RangeExecutor.Policy.of(options).withLimit(limitSettings(options)).withMemory(context.limits()),
        piece -> {
          CompletableFuture<Part> all = CompletableFuture.completedFuture(new Part(0, 0, 0));
          for (RangeQuery.Interval interval : RangeQuery.intervals(piece)) {
            BoundStatement statement = RangeQuery.bind(exclusive, inclusive, interval, tokens, options);
            long sent = System.nanoTime();
            CompletableFuture<Part> one = session.executeAsync(statement).toCompletableFuture()
                .thenCompose(rs -> pages(rs, types, new Part(0, 0, System.nanoTime() - sent)));
            all = all.thenCombine(one, Part::plus);
          }
          return all;
        },
        null,
        sink,
        "import-verify",
        groupOf);
    try {
      done.get();
    } catch (InterruptedException e) {
      done.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while verifying the import", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("Verification of the import failed: " + e.getCause(), e.getCause());
    }
    if (!failed.isEmpty()) {
      throw failure.failure(String.format("could not read %s token ranges of %s back: %s", failed.size(),
          ImportPlan.qualified(table), first[0]), failed, first[0]);
    }
    return new ImportOperation.TargetSum(total[0], total[1]);
  }

  /** Adds the rows of {@code rs}'s current page to {@code sofar}, then reads the next page, timing its request. */
  private static CompletionStage<Part> pages(AsyncResultSet rs, List<DataType> types, Part sofar) {
    Object[] values = new Object[types.size()];
    long rows = sofar.rows();
    long sum = sofar.sum();
    for (Row row : rs.currentPage()) {
      for (int i = 0; i < values.length; i++) {
        // As export read the source's values: an IPv4-mapped inet keeps its 16 bytes here too.
        values[i] = CqlValues.cell(row, i, types.get(i));
      }
      sum += Checksum.row(values, types);
      rows++;
    }
    Part part = new Part(rows, sum, sofar.longestNanos());
    if (!rs.hasMorePages()) {
      return CompletableFuture.completedFuture(part);
    }
    long sent = System.nanoTime();
    return rs.fetchNextPage().thenCompose(next -> pages(next, types,
        new Part(part.rows(), part.sum(), Math.max(part.longestNanos(), System.nanoTime() - sent))));
  }

  /** Makes the exception thrown when ranges cannot be read. */
  interface FailureFactory {
    BulkOperationException failure(String message, List<TokenRange> failedRanges, Throwable cause);
  }
}
