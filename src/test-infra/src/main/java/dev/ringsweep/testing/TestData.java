package dev.ringsweep.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/** Writes test rows fast (bounded async inserts) and finds keys by where their token falls on the ring. */
public final class TestData {

  private static final int IN_FLIGHT = 128;
  private static final int RETRIES = 3;

  private TestData() {}

  /**
   * Executes {@code count} statements made by {@code statement} (called with 0 … count-1), at most {@value #IN_FLIGHT} in flight,
   * and waits for all of them; any failure fails the call.
   */
  public static void write(CqlSession session, long count, LongFunction<BoundStatement> statement) {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (long i = 0; i < count && failure.get() == null; i++) {
      inFlight.acquireUninterruptibly();
      execute(session, statement.apply(i), RETRIES)
          .whenComplete(
              (rs, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                }
                inFlight.release();
              });
    }
    inFlight.acquireUninterruptibly(IN_FLIGHT);
    if (failure.get() != null) {
      throw new IllegalStateException("Writing test data failed", failure.get());
    }
  }

  /**
   * Inserts {@code count} rows through a prepared statement bound with the values {@code values(i)}, at consistency
   * ALL: every replica holds every row before the test reads, so ground truth does not depend on which replica a
   * LOCAL_ONE read reaches (under load, a write acknowledged by one replica may reach the others late).
   */
  public static void insert(CqlSession session, String cql, long count, LongFunction<Object[]> values) {
    PreparedStatement prepared = session.prepare(cql);
    write(session, count, i -> prepared.bind(values.apply(i)).setConsistencyLevel(DefaultConsistencyLevel.ALL));
  }

  /**
   * Executes a test write, retrying it up to {@code retries} times: test inserts are idempotent, and at consistency
   * ALL a single busy replica (a loaded machine, a node that was just restarted) can fail a write that a retry
   * completes.
   */
  private static CompletionStage<?> execute(CqlSession session, BoundStatement statement, int retries) {
    return session.executeAsync(statement).handle((rs, error) -> {
      if (error == null) {
        return CompletableFuture.<Object>completedFuture(rs);
      }
      if (retries == 0) {
        return CompletableFuture.<Object>failedFuture(error);
      }
      return execute(session, statement, retries - 1).thenApply(r -> (Object) r);
    }).thenCompose(stage -> stage);
  }

  /** The Murmur3 token of a single {@code bigint} partition key, computed by the driver as the server does. */
  public static long tokenOfBigint(CqlSession session, long key) {
    TokenMap map = session.getMetadata().getTokenMap().orElseThrow();
    return Long.parseLong(map.format(map.newToken(TypeCodecs.BIGINT.encode(key, ProtocolVersion.DEFAULT))));
  }

  /**
   * Finds {@code wanted} distinct bigint keys whose tokens lie in {@code [low, high]}, scanning keys upward from
   * {@code from}.
   */
  public static List<Long> bigintKeysWithTokensIn(CqlSession session, long low, long high, int wanted, long from) {
    List<Long> keys = new ArrayList<>(wanted);
    for (long key = from; keys.size() < wanted; key++) {
      long token = tokenOfBigint(session, key);
      if (token >= low && token <= high) {
        keys.add(key);
      }
    }
    return keys;
  }
}
