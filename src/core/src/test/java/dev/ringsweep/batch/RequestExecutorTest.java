package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control flow of sending requests (permits, retries, bisection, accounting), exercised with a stand-in for
 * {@code session.executeAsync} that answers according to simple rules. What the real server does is covered by the
 * integration tests; this checks the bookkeeping that they cannot force (timeouts, exact retry counts).
 */
class RequestExecutorTest {

  private final MetricsRecorder metrics = new MetricsRecorder();
  private final Map<BatchableStatement<?>, Throwable> reported = new ConcurrentHashMap<>();
  private final List<Statement<?>> sent = new CopyOnWriteArrayList<>();

  private RequestExecutor executor(Function<Statement<?>, CompletionStage<AsyncResultSet>> server,
      int maxInFlight, int maxRetries, double rate) {
    BatchWriterOptions options = new BatchWriterOptions(BatchMode.UNLOGGED, Grouping.PARTITION_KEY, 100, 50,
        40 * 1024, maxInFlight, rate, maxRetries, Duration.ofMillis(1), Duration.ofMillis(4));
    Function<Statement<?>, CompletionStage<AsyncResultSet>> recording = statement -> {
      sent.add(statement);
      return server.apply(statement);
    };
    return new RequestExecutor(recording, options, new SafeListener(metrics, BatchListener.NONE),
        reported::put, System::nanoTime);
  }

  private static List<BatchableStatement<?>> statements(int count, String... bad) {
    List<BatchableStatement<?>> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String tag = List.of(bad).contains("s" + i) ? "bad" : "ok";
      list.add(SimpleStatement.newInstance("INSERT INTO ks.t (k, v) VALUES (" + i + ", '" + tag + "')"));
    }
    return list;
  }

  /** The key {@link #statements} wrote into a single-statement request. */
  private static int keyOf(Statement<?> statement) {
    String query = ((SimpleStatement) statement).getQuery();
    int start = query.indexOf("VALUES (") + "VALUES (".length();
    return Integer.parseInt(query.substring(start, query.indexOf(',', start)));
  }

  private static List<SimpleStatement> children(Statement<?> statement) {
    List<SimpleStatement> children = new ArrayList<>();
    if (statement instanceof BatchStatement) {
      ((BatchStatement) statement).forEach(s -> children.add((SimpleStatement) s));
    } else {
      children.add((SimpleStatement) statement);
    }
    return children;
  }

  /** Refuses any request that contains a statement tagged 'bad', like the server refuses an invalid value. */
  private static CompletionStage<AsyncResultSet> refuseBad(Statement<?> statement) {
    boolean bad = children(statement).stream().anyMatch(s -> s.getQuery().contains("'bad'"));
    return bad
        ? CompletableFuture.failedFuture(new InvalidQueryException(null, "invalid value"))
        : CompletableFuture.completedFuture(null);
  }

  private static PlannedBatch batch(List<BatchableStatement<?>> statements, boolean splittable, boolean idempotent) {
    return new PlannedBatch(statements, DefaultBatchType.UNLOGGED, splittable, idempotent);
  }

  private final List<LimitChange> limits = new CopyOnWriteArrayList<>();

  private RequestExecutor executor(Function<Statement<?>, CompletionStage<AsyncResultSet>> server,
      ConcurrencyMode concurrency, int maxInFlight, int maxRetries) {
    return executor(server, concurrency, maxInFlight, maxRetries, false);
  }

  /** An executor whose writes go by replica set ({@code perReplicaSet}) or all under one limit. */
  private RequestExecutor executor(Function<Statement<?>, CompletionStage<AsyncResultSet>> server,
      ConcurrencyMode concurrency, int maxInFlight, int maxRetries, boolean perReplicaSet) {
    return executor(server, concurrency, maxInFlight, maxRetries, perReplicaSet, Duration.ZERO);
  }

  /** As above, for writes that time out after {@code requestTimeout} (zero: unknown). */
  private RequestExecutor executor(Function<Statement<?>, CompletionStage<AsyncResultSet>> server,
      ConcurrencyMode concurrency, int maxInFlight, int maxRetries, boolean perReplicaSet, Duration requestTimeout) {
    return executor(server, concurrency, maxInFlight, maxRetries, perReplicaSet, requestTimeout,
        Double.POSITIVE_INFINITY);
  }

  /** As above, at most {@code rate} statements per second. */
  private RequestExecutor executor(Function<Statement<?>, CompletionStage<AsyncResultSet>> server,
      ConcurrencyMode concurrency, int maxInFlight, int maxRetries, boolean perReplicaSet, Duration requestTimeout,
      double rate) {
    return executor(server, concurrency, maxInFlight, maxRetries, perReplicaSet, requestTimeout, rate,
        statement -> null);
  }

  /** As above, with the execution profiles' timeouts {@code profileTimeout} gives. */
  private RequestExecutor executor(Function<Statement<?>, CompletionStage<AsyncResultSet>> server,
      ConcurrencyMode concurrency, int maxInFlight, int maxRetries, boolean perReplicaSet, Duration requestTimeout,
      double rate, Function<Statement<?>, Duration> profileTimeout) {
    BatchWriterOptions options = new BatchWriterOptions(BatchMode.UNLOGGED, Grouping.PARTITION_KEY, 100, 50,
        40 * 1024, maxInFlight, concurrency, rate, maxRetries, Duration.ofMillis(1), Duration.ofMillis(4));
    BatchListener user = new BatchListener() {
      @Override
      public void onLimitChanged(LimitChange change) {
        limits.add(change);
      }
    };
    return new RequestExecutor(server, options, new SafeListener(metrics, user), reported::put, executorClock,
        perReplicaSet, requestTimeout, profileTimeout, null);
  }

  /** The clock of the executors {@link #executor} makes: the system's, unless a test sets its own first. */
  private LongSupplier executorClock = System::nanoTime;

  /** The clock of {@link #later}'s answers; each test has its own. */
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  /** Requests {@link #later} has not answered yet, and the most there were at once. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  /** Answers every request 2 ms later, from another thread, failing it with {@code error} when that gives one. */
  private Function<Statement<?>, CompletionStage<AsyncResultSet>> later(
      java.util.function.Supplier<Throwable> error) {
    return later(statement -> error.get());
  }

  /** As above, where the error (or null) depends on the request. */
  private Function<Statement<?>, CompletionStage<AsyncResultSet>> later(Function<Statement<?>, Throwable> error) {
    return statement -> {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Throwable e = error.apply(statement);
      CompletableFuture<AsyncResultSet> answer = new CompletableFuture<>();
      timer.schedule(() -> {
        inFlight.decrementAndGet();
        if (e == null) {
          answer.complete(null);
        } else {
          answer.completeExceptionally(e);
        }
      }, 2, TimeUnit.MILLISECONDS);
      return answer;
    };
  }

  private static List<PlannedBatch> singles(int count) {
    return statements(count).stream().map(s -> batch(List.of(s), true, true)).toList();
  }

  @Test
  void should_announce_a_fixed_limit_once_and_hold_it_exactly_through_write_timeouts() throws Exception {
    // The first two attempts of every third statement time out (and are retried). Which attempts fail is decided by
    // statement, not by a count over all requests: with a global "every third request" the last three statements
    // retrying in turn could hand one of them every failure until its retries ran out.
    Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
    RequestExecutor executor = executor(later(statement -> {
      int key = keyOf(statement);
      int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      return key % 3 == 0 && attempt <= 2
          ? new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH) : null;
    }), ConcurrencyMode.FIXED, 4, 10);

    WriteResult result = executor.submit(60, singles(60)).result().get(10, TimeUnit.SECONDS);

    assertThat(result.written()).isEqualTo(60);
    assertThat(result.failed()).isZero();
    assertThat(result.retries()).isEqualTo(20 * 2);
    assertThat(peak.get()).isEqualTo(4);
    assertThat(limits).containsExactly(new LimitChange(0, 4, LimitChange.Cause.START, "fixed at 4"));
  }

  @Test
  void should_halve_an_adaptive_limit_when_writes_time_out_and_still_write_everything() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    // The first 20 requests time out, as on a node overloaded at the start.
    RequestExecutor executor = executor(later(() -> requests.incrementAndGet() <= 20
        ? new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH) : null),
        ConcurrencyMode.ADAPTIVE, 32, 10);

    WriteResult result = executor.submit(200, singles(200)).result().get(10, TimeUnit.SECONDS);

    assertThat(result.written()).isEqualTo(200);
    assertThat(limits.get(0)).isEqualTo(new LimitChange(0, 8, LimitChange.Cause.START, "adaptive, up to 32"));
    assertThat(limits).filteredOn(c -> c.cause() == LimitChange.Cause.ERRORS)
        .isNotEmpty()
        .allSatisfy(c -> {
          assertThat(c.limit()).isEqualTo(Math.max(1, c.previousLimit() / 2));
          assertThat(c.detail()).startsWith("WriteTimeoutException");
        })
        .anySatisfy(c -> assertThat(c.previousLimit()).isEqualTo(8));
    assertThat(limits).extracting(LimitChange::limit).allMatch(l -> l >= 1 && l <= 32);
    assertThat(peak.get()).isBetween(1, 32);
  }

  @Test
  void should_lower_an_adaptive_limit_when_an_attempt_times_out_not_when_its_retry_is_answered() throws Exception {
    // The first attempt times out; the retry is answered only when the test says so.
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<AsyncResultSet> retryAnswer = new CompletableFuture<>();
    CompletableFuture<Void> retrySent = new CompletableFuture<>();
    RequestExecutor executor = executor(statement -> {
      if (attempts.incrementAndGet() == 1) {
        return CompletableFuture.failedFuture(
            new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH));
      }
      retrySent.complete(null);
      return retryAnswer;
    }, ConcurrencyMode.ADAPTIVE, 32, 10);

    WriteJob job = executor.submit(1, singles(1));
    retrySent.get(5, TimeUnit.SECONDS);

    // While the retry is in flight the limit is already halved: new writes no longer start at the level that
    // timed out.
    assertThat(job.result()).isNotDone();
    assertThat(limits).filteredOn(c -> c.cause() == LimitChange.Cause.ERRORS).singleElement().satisfies(c -> {
      assertThat(c.previousLimit()).isEqualTo(8);
      assertThat(c.limit()).isEqualTo(4);
      assertThat(c.detail()).startsWith("WriteTimeoutException");
    });

    retryAnswer.complete(null);
    WriteResult result = job.result().get(5, TimeUnit.SECONDS);
    assertThat(result.written()).isEqualTo(1);
    assertThat(result.retries()).isEqualTo(1);
    // The request's end gives the permit back without a second backoff for the same trouble.
    assertThat(limits).filteredOn(LimitChange::isDecrease).hasSize(1);
  }

  @Test
  void should_retry_writes_that_timed_out_under_the_lowered_adaptive_limit_before_any_new_write() throws Exception {
    // The first wave (the initial limit, 8 writes) times out together, as when a node browns out; every later
    // attempt succeeds. The next 8 sends are answered after 50 ms, not 2: every retry's backoff (at most 1 ms) is
    // over before the first of them is answered and makes room, however late a busy machine runs the backoff's timer.
    AtomicInteger sends = new AtomicInteger();
    List<Integer> keysAfterWave = new CopyOnWriteArrayList<>();
    AtomicInteger peakOfRetries = new AtomicInteger();
    AtomicInteger retriesOnTheWire = new AtomicInteger();
    Function<Statement<?>, CompletionStage<AsyncResultSet>> answer = later(statement -> sends.get() <= 8
        ? new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH) : null);
    RequestExecutor executor = executor(statement -> {
      int send = sends.incrementAndGet();
      if (send > 8) {
        keysAfterWave.add(keyOf(statement));
      }
      if (send <= 8 || send > 16) {
        return answer.apply(statement);
      }
      peakOfRetries.accumulateAndGet(retriesOnTheWire.incrementAndGet(), Math::max);
      return answer.apply(statement).thenCompose(r -> CompletableFuture.supplyAsync(() -> r,
          CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)))
          .whenComplete((r, e) -> retriesOnTheWire.decrementAndGet());
    }, ConcurrencyMode.ADAPTIVE, 32, 10);

    WriteResult result = executor.submit(40, singles(40)).result().get(10, TimeUnit.SECONDS);

    assertThat(result.written()).isEqualTo(40);
    assertThat(result.retries()).isEqualTo(8);
    assertThat(limits).filteredOn(LimitChange::isDecrease).first()
        .satisfies(c -> assertThat(c.previousLimit()).isEqualTo(8));
    // The retries went a lowered limit at a time (4, and 5 once AIMD has seen 4 successes), not all eight at once
    // after their backoff ...
    assertThat(peakOfRetries.get()).as("retries on the wire at once").isBetween(1, 5);
    // ... and before any new write: while they waited, no new write took the room they left.
    assertThat(keysAfterWave.subList(0, 8)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(executor.inFlight()).isZero();
  }

  @Test
  void should_give_up_a_write_waiting_for_its_retry_without_a_permit_on_cancel() throws Exception {
    BatchWriterOptions options = new BatchWriterOptions(BatchMode.UNLOGGED, Grouping.PARTITION_KEY, 100, 50,
        40 * 1024, 32, ConcurrencyMode.ADAPTIVE, Double.POSITIVE_INFINITY, 10, Duration.ofMillis(200),
        Duration.ofMillis(400));
    WriteTimeoutException timeout =
        new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH);
    RequestExecutor executor = new RequestExecutor(statement -> {
      sent.add(statement);
      return CompletableFuture.failedFuture(timeout);
    }, options, new SafeListener(metrics, BatchListener.NONE), reported::put, System::nanoTime);

    WriteJob job = executor.submit(1, singles(1));
    assertThat(executor.inFlight()).as("the permit is given back during the backoff").isZero();
    executor.cancel("stopped");

    WriteResult result = job.result().get(5, TimeUnit.SECONDS);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(sent).as("never sent again").hasSize(1);
    assertThat(reported.values()).singleElement().satisfies(cause -> assertThat(cause)
        .isInstanceOf(CancellationException.class).hasMessageContaining("stopped").hasCause(timeout));
    assertThat(executor.inFlight()).isZero();
  }

  @Test
  void should_lower_an_adaptive_limit_when_writes_succeed_close_to_their_timeout() throws Exception {
    // Every write succeeds after 2 ms or more: over half of a 3 ms timeout, far under half of 30 s.
    RequestExecutor near = executor(later(() -> null), ConcurrencyMode.ADAPTIVE, 32, 10,
        false, Duration.ofMillis(3));
    WriteResult result = near.submit(200, singles(200)).result().get(10, TimeUnit.SECONDS);

    assertThat(result.written()).isEqualTo(200);
    assertThat(result.retries()).isZero();
    assertThat(limits).filteredOn(LimitChange::isDecrease).isNotEmpty().allSatisfy(c -> {
      assertThat(c.cause()).isEqualTo(LimitChange.Cause.LATENCY_ROSE);
      assertThat(c.detail()).startsWith("a request took ").endsWith(", over 50% of its timeout (3.0 ms)");
    });

    limits.clear();
    RequestExecutor far = executor(later(() -> null), ConcurrencyMode.ADAPTIVE, 32, 10,
        false, Duration.ofSeconds(30));
    assertThat(far.submit(200, singles(200)).result().get(10, TimeUnit.SECONDS).written()).isEqualTo(200);
    assertThat(limits).noneMatch(c -> c.detail().contains("of its timeout"));
  }

  @Test
  void should_not_take_a_wait_for_the_rate_limit_for_a_write_close_to_its_timeout() throws Exception {
    // 50 statements a second, one per request: with several requests holding permits, the later ones wait up to
    // 200 ms for the rate limit (over half of the 200 ms timeout from the sixth on), then take about 2 ms on the
    // wire. Only the round trip counts: the limit is never lowered for coming close to the timeout, and the latency
    // it learns from is the round trip's, not the wait's. (The margins leave a round trip 100 ms of stalls, a busy
    // machine's, before it nears the timeout; until 2026-11-29 they left 50 ms, which a loaded CI machine met.)
    RequestExecutor rateLimited = executor(later(() -> null), ConcurrencyMode.ADAPTIVE, 32, 10,
        false, Duration.ofMillis(200), 50);
    long start = System.nanoTime();
    WriteResult result = rateLimited.submit(60, singles(60)).result().get(20, TimeUnit.SECONDS);

    assertThat(result.written()).isEqualTo(60);
    assertThat(System.nanoTime() - start).as("held to the rate limit").isGreaterThanOrEqualTo(
        TimeUnit.MILLISECONDS.toNanos(1_000));
    assertThat(limits).as("limit changes").noneMatch(c -> c.detail().contains("of its timeout"));
    assertThat(limits).as("limit changes").filteredOn(c -> c.detail().startsWith("latency "))
        .allSatisfy(c -> assertThat(Double.parseDouble(c.detail().split(" ")[1])).isLessThan(50.0));
  }

  @Test
  void should_judge_a_write_with_a_timeout_of_its_own_against_that_timeout() throws Exception {
    // Writes take 2 ms or more. Statements with a 3 ms timeout of their own under a writer whose timeout is 30 s:
    // close to their timeout, so the limit backs off, naming their timeout.
    List<PlannedBatch> hasty = statements(200).stream()
        .map(s -> batch(List.of(((SimpleStatement) s).setTimeout(Duration.ofMillis(3))), true, true)).toList();
    RequestExecutor writer = executor(later(() -> null), ConcurrencyMode.ADAPTIVE, 32, 10, false,
        Duration.ofSeconds(30));
    assertThat(writer.submit(200, hasty).result().get(10, TimeUnit.SECONDS).written()).isEqualTo(200);
    assertThat(limits).filteredOn(c -> c.detail().contains("of its timeout")).isNotEmpty()
        .allSatisfy(c -> assertThat(c.detail()).endsWith("of its timeout (3.0 ms)"));

    // Batches whose statements name a profile with a 30 s timeout under a writer whose timeout is 3 ms: far from it.
    limits.clear();
    List<PlannedBatch> patient = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      patient.add(batch(statements(2).stream()
          .<BatchableStatement<?>>map(s -> ((SimpleStatement) s).setExecutionProfileName("patient")).toList(),
          true, true));
    }
    RequestExecutor profiled = executor(later(() -> null), ConcurrencyMode.ADAPTIVE, 32, 10, false,
        Duration.ofMillis(3), Double.POSITIVE_INFINITY,
        statement -> "patient".equals(statement.getExecutionProfileName()) ? Duration.ofSeconds(30) : null);
    assertThat(profiled.submit(200, patient).result().get(10, TimeUnit.SECONDS).written()).isEqualTo(200);
    assertThat(limits).noneMatch(c -> c.detail().contains("of its timeout"));
  }

  @Test
  void should_bisect_a_refused_batch_until_the_bad_statements_stand_alone() throws Exception {
    List<BatchableStatement<?>> statements = statements(8, "s2", "s5");
    WriteResult result = executor(RequestExecutorTest::refuseBad, 4, 3, Double.POSITIVE_INFINITY)
        .submit(8, List.of(batch(statements, true, true))).result().get(5, TimeUnit.SECONDS);
    assertThat(result.written()).isEqualTo(6);
    assertThat(result.failed()).isEqualTo(2);
    assertThat(reported).containsOnlyKeys(statements.get(2), statements.get(5));
    assertThat(reported.values()).allSatisfy(cause -> assertThat(cause).hasMessage("invalid value"));
    // 8 -> 4+4 -> (2+2)+(2+2) -> the halves holding a bad one split to singles: 1 + 2 + 4 + 4 requests
    assertThat(sent).hasSize(11);
    BatchMetrics snapshot = metrics.snapshot();
    assertThat(snapshot.statements()).isEqualTo(6);
    assertThat(snapshot.failedStatements()).isEqualTo(2);
    assertThat(snapshot.batches() + snapshot.failedRequests() + snapshot.retries()).isEqualTo(sent.size());
    assertThat(snapshot.retries()).isZero();
  }

  @Test
  void should_report_a_refused_unit_whole_without_splitting_it() throws Exception {
    List<BatchableStatement<?>> statements = statements(6, "s4");
    WriteResult result = executor(RequestExecutorTest::refuseBad, 4, 3, Double.POSITIVE_INFINITY)
        .submit(6, List.of(batch(statements, false, true))).result().get(5, TimeUnit.SECONDS);
    assertThat(result.written()).isZero();
    assertThat(result.failed()).isEqualTo(6);
    assertThat(reported).containsOnlyKeys(statements);
    assertThat(sent).hasSize(1);
  }

  @Test
  void should_retry_an_idempotent_request_after_timeouts_until_it_succeeds() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Function<Statement<?>, CompletionStage<AsyncResultSet>> flaky = statement -> attempts.incrementAndGet() <= 2
        ? CompletableFuture.failedFuture(
            new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH))
        : CompletableFuture.completedFuture(null);
    WriteResult result = executor(flaky, 4, 3, Double.POSITIVE_INFINITY)
        .submit(5, List.of(batch(statements(5), true, true))).result().get(5, TimeUnit.SECONDS);
    assertThat(result.written()).isEqualTo(5);
    assertThat(result.retries()).isEqualTo(2);
    assertThat(metrics.snapshot().retries()).isEqualTo(2);
    assertThat(metrics.snapshot().batches()).isEqualTo(1);
    assertThat(sent).hasSize(3);
  }

  @Test
  void should_report_a_request_whose_retries_are_spent_without_splitting_it() throws Exception {
    Function<Statement<?>, CompletionStage<AsyncResultSet>> down = statement -> CompletableFuture.failedFuture(
        new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH));
    WriteResult result = executor(down, 4, 3, Double.POSITIVE_INFINITY)
        .submit(4, List.of(batch(statements(4), true, true))).result().get(5, TimeUnit.SECONDS);
    assertThat(result.failed()).isEqualTo(4);
    assertThat(result.retries()).isEqualTo(3);
    assertThat(sent).hasSize(4);
    assertThat(reported.values()).allSatisfy(cause -> assertThat(cause).isInstanceOf(WriteTimeoutException.class));
  }

  @Test
  void should_never_retry_a_request_that_is_not_idempotent() throws Exception {
    Function<Statement<?>, CompletionStage<AsyncResultSet>> down = statement -> CompletableFuture.failedFuture(
        new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.COUNTER));
    WriteResult result = executor(down, 4, 3, Double.POSITIVE_INFINITY)
        .submit(3, List.of(batch(statements(3), true, false))).result().get(5, TimeUnit.SECONDS);
    assertThat(result.failed()).isEqualTo(3);
    assertThat(result.retries()).isZero();
    assertThat(sent).hasSize(1);
  }

  @Test
  void should_keep_at_most_max_in_flight_requests_outstanding() throws Exception {
    List<CompletableFuture<AsyncResultSet>> outstanding = new CopyOnWriteArrayList<>();
    RequestExecutor executor = executor(pending(outstanding), 3, 0, Double.POSITIVE_INFINITY);
    List<PlannedBatch> batches = new ArrayList<>();
    for (BatchableStatement<?> statement : statements(10)) {
      batches.add(batch(List.of(statement), true, true));
    }
    WriteJob job = executor.submit(10, batches);
    for (int completed = 0; completed < 10; completed++) {
      assertThat(outstanding).hasSize(Math.min(10, completed + 3));
      assertThat(executor.inFlight()).isEqualTo(Math.min(3, 10 - completed));
      assertThat(job.result()).isNotDone();
      outstanding.get(completed).complete(null);
    }
    assertThat(job.result().get(5, TimeUnit.SECONDS).written()).isEqualTo(10);
    assertThat(executor.inFlight()).isZero();
  }

  @Test
  void should_hold_statements_to_the_rate_limit() throws Exception {
    List<PlannedBatch> batches = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batches.add(batch(statements(10), true, true));
    }
    long start = System.nanoTime();
    // 1000 statements/s and 10 batches of 10: the first goes at once, each later one 10 ms after the one before
    WriteResult result = executor(statement -> CompletableFuture.completedFuture(null), 64, 0, 1000)
        .submit(100, batches).result().get(5, TimeUnit.SECONDS);
    assertThat(result.written()).isEqualTo(100);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
  }

  @Test
  void should_not_recurse_when_requests_complete_at_once() throws Exception {
    List<PlannedBatch> batches = new ArrayList<>();
    for (BatchableStatement<?> statement : statements(50_000)) {
      batches.add(batch(List.of(statement), true, true));
    }
    // the stand-in answers synchronously, so every completion happens inside the drain that sent the request
    WriteResult result = executor(statement -> CompletableFuture.completedFuture(null), 1, 0, Double.POSITIVE_INFINITY)
        .submit(50_000, batches).result().get(30, TimeUnit.SECONDS);
    assertThat(result.written()).isEqualTo(50_000);
  }

  @Test
  void should_complete_an_empty_job_at_once() {
    WriteJob job = executor(RequestExecutorTest::refuseBad, 1, 0, Double.POSITIVE_INFINITY).submit(0, List.of());
    assertThat(job.result()).isCompletedWithValueMatching(r -> r.statements() == 0 && r.allWritten());
  }

  @Test
  void should_fail_queued_requests_at_once_on_cancel_and_let_those_sent_finish() throws Exception {
    List<CompletableFuture<AsyncResultSet>> outstanding = new CopyOnWriteArrayList<>();
    RequestExecutor executor = executor(pending(outstanding), 2, 3, Double.POSITIVE_INFINITY);
    List<PlannedBatch> batches = singles(10);
    WriteJob job = executor.submit(10, batches);
    assertThat(outstanding).hasSize(2);

    executor.cancel("the import exceeded its error budget");

    assertThat(reported).hasSize(8).allSatisfy((statement, cause) -> assertThat(cause)
        .isInstanceOf(CancellationException.class).hasMessageContaining("the import exceeded its error budget"));
    assertThat(job.result()).as("two requests are still on the wire").isNotDone();
    outstanding.forEach(future -> future.complete(null));
    WriteResult result = job.result().get(5, TimeUnit.SECONDS);
    assertThat(result.written()).isEqualTo(2);
    assertThat(result.failed()).isEqualTo(8);
    assertThat(sent).as("only the two on the wire reached the server").hasSize(2);
    assertThat(executor.inFlight()).isZero();
  }

  @Test
  void should_not_retry_a_request_that_fails_after_cancel() throws Exception {
    List<CompletableFuture<AsyncResultSet>> outstanding = new CopyOnWriteArrayList<>();
    RequestExecutor executor = executor(pending(outstanding), 2, 3, Double.POSITIVE_INFINITY);
    WriteJob job = executor.submit(1, singles(1));
    executor.cancel("stopped");

    WriteTimeoutException timeout =
        new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH);
    outstanding.get(0).completeExceptionally(timeout);

    WriteResult result = job.result().get(5, TimeUnit.SECONDS);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.retries()).isZero();
    assertThat(sent).as("never sent again").hasSize(1);
    assertThat(reported.values()).singleElement().satisfies(cause -> assertThat(cause)
        .isInstanceOf(CancellationException.class).hasMessageContaining("stopped").hasCause(timeout));
  }

  @Test
  void should_fail_writes_submitted_after_cancel_without_sending_them() throws Exception {
    List<CompletableFuture<AsyncResultSet>> outstanding = new CopyOnWriteArrayList<>();
    RequestExecutor executor = executor(pending(outstanding), 4, 3, Double.POSITIVE_INFINITY);
    executor.cancel("stopped");

    WriteResult result = executor.submit(3, singles(3)).result().get(5, TimeUnit.SECONDS);

    assertThat(result.failed()).isEqualTo(3);
    assertThat(sent).isEmpty();
    assertThat(reported).hasSize(3);
  }

  // Per replica set: an adaptive writer on a cluster of several nodes.

  /** A server that never answers on its own: each request's future is added to {@code outstanding}. */
  private static Function<Statement<?>, CompletionStage<AsyncResultSet>> pending(
      List<CompletableFuture<AsyncResultSet>> outstanding) {
    return statement -> {
      CompletableFuture<AsyncResultSet> future = new CompletableFuture<>();
      outstanding.add(future);
      return future;
    };
  }

  private RequestExecutor perReplicaSet(Function<Statement<?>, CompletionStage<AsyncResultSet>> server,
      ConcurrencyMode concurrency, int maxInFlight, int maxRetries) {
    return executor(server, concurrency, maxInFlight, maxRetries, true);
  }

  /** The replica set of each statement the tests send, as the planner names it. */
  private final Map<Statement<?>, String> replicaSetOf = new ConcurrentHashMap<>();

  /** {@code count} single-statement requests to replica set {@code name}, one of {@code ofRing}. */
  private List<PlannedBatch> singlesTo(String name, int ofRing, int count) {
    List<PlannedBatch> batches = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BatchableStatement<?> statement =
          SimpleStatement.newInstance("INSERT INTO ks.t (k, v) VALUES (" + i + ", '" + name + "')");
      replicaSetOf.put(statement, name);
      batches.add(new PlannedBatch(List.of(statement), null, true, true, new PlannedBatch.ReplicaSet(name, ofRing)));
    }
    return batches;
  }

  private static List<PlannedBatch> interleave(List<PlannedBatch> a, List<PlannedBatch> b) {
    List<PlannedBatch> all = new ArrayList<>();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      if (i < a.size()) {
        all.add(a.get(i));
      }
      if (i < b.size()) {
        all.add(b.get(i));
      }
    }
    return all;
  }

  @Test
  void should_start_each_replica_set_at_its_share_of_the_initial_limit_under_max_in_flight() throws Exception {
    // maxInFlight 64: an initial limit of 16, and each of the ring's 4 replica sets starts at 4.
    RequestExecutor executor = perReplicaSet(statement -> CompletableFuture.completedFuture(null),
        ConcurrencyMode.ADAPTIVE, 64, 0);
    WriteResult result = executor.submit(2, interleave(singlesTo("a", 4, 1), singlesTo("b", 4, 1)))
        .result().get(5, TimeUnit.SECONDS);

    assertThat(result.written()).isEqualTo(2);
    assertThat(limits.subList(0, 3)).containsExactly(
        new LimitChange(0, 64, LimitChange.Cause.START, "adaptive per replica set, at most 64 in all"),
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 64", "a"),
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 64", "b"));
    assertThat(limits).filteredOn(c -> !c.isPerReplicaSet()).hasSize(1);
  }

  @Test
  void should_lower_only_the_limit_of_the_replica_set_whose_writes_time_out() throws Exception {
    AtomicInteger slowRequests = new AtomicInteger();
    // The first 8 requests to the slow replica set time out (fewer than the 10 retries: the halved limit may leave
    // one request to meet them all); the other's never fail.
    Function<Statement<?>, CompletionStage<AsyncResultSet>> answers = later(() -> null);
    RequestExecutor routed = perReplicaSet(statement -> replicaSetOf.get(statement).equals("slow")
        && slowRequests.incrementAndGet() <= 8
        ? CompletableFuture.failedFuture(
            new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH))
        : answers.apply(statement), ConcurrencyMode.ADAPTIVE, 32, 10);
    WriteResult result = routed.submit(200, interleave(singlesTo("slow", 2, 100), singlesTo("fine", 2, 100)))
        .result().get(10, TimeUnit.SECONDS);

    assertThat(result.written()).isEqualTo(200);
    assertThat(limits).filteredOn(c -> c.cause() == LimitChange.Cause.ERRORS).isNotEmpty().allSatisfy(c -> {
      assertThat(c.scope()).isEqualTo("slow");
      assertThat(c.limit()).isEqualTo(Math.max(1, c.previousLimit() / 2));
      assertThat(c.detail()).startsWith("WriteTimeoutException");
    });
    assertThat(limits).filteredOn(c -> c.scope().equals("fine")).isNotEmpty()
        .noneMatch(c -> c.cause() == LimitChange.Cause.ERRORS);
    assertThat(routed.inFlight()).isZero();
  }

  @Test
  void should_never_have_more_requests_in_flight_than_max_in_flight_across_replica_sets() throws Exception {
    // maxInFlight 6: an initial limit of 4, and 3 replica sets of a ring of 1 (as on first sight of a keyspace
    // with one replica set per request) each start at 4: 12 together, so the ceiling is what holds them.
    List<CompletableFuture<AsyncResultSet>> outstanding = new CopyOnWriteArrayList<>();
    RequestExecutor executor = perReplicaSet(pending(outstanding), ConcurrencyMode.ADAPTIVE, 6, 0);
    List<PlannedBatch> batches = interleave(interleave(singlesTo("a", 1, 10), singlesTo("b", 1, 10)),
        singlesTo("c", 1, 10));

    WriteJob job = executor.submit(30, batches);
    for (int completed = 0; completed < 30; completed++) {
      assertThat(executor.inFlight()).isLessThanOrEqualTo(6);
      assertThat(outstanding.size() - completed).isEqualTo(Math.min(6, 30 - completed));
      outstanding.get(completed).complete(null);
    }

    assertThat(job.result().get(5, TimeUnit.SECONDS).written()).isEqualTo(30);
    assertThat(limits.get(0)).isEqualTo(
        new LimitChange(0, 6, LimitChange.Cause.START, "adaptive per replica set, at most 6 in all"));
  }

  @Test
  void should_not_starve_a_replica_set_whose_limit_has_room_behind_one_that_is_full() throws Exception {
    // maxInFlight 8, two replica sets of the ring starting at 2 each. The first's requests never finish until
    // released, and all of them are queued first: the second's must still all be written.
    CompletableFuture<AsyncResultSet> release = new CompletableFuture<>();
    RequestExecutor executor = perReplicaSet(statement -> replicaSetOf.get(statement).equals("stuck")
        ? release : CompletableFuture.completedFuture(null), ConcurrencyMode.ADAPTIVE, 8, 0);

    WriteJob stuck = executor.submit(20, singlesTo("stuck", 2, 20));
    WriteJob free = executor.submit(20, singlesTo("free", 2, 20));

    assertThat(free.result().get(5, TimeUnit.SECONDS).written()).isEqualTo(20);
    assertThat(stuck.result()).isNotDone();
    assertThat(executor.inFlight()).isEqualTo(2);
    release.complete(null);
    assertThat(stuck.result().get(5, TimeUnit.SECONDS).written()).isEqualTo(20);
  }

  @Test
  void should_share_one_limit_in_queue_order_once_replica_sets_time_out_together_twice() throws Exception {
    // maxInFlight 64: an initial limit of 16, 8 for each of the ring's 2 replica sets. All of a's requests are queued
    // before b's; 8 of each go out at once, round-robin.
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
    executorClock = now::get;
    List<Statement<?>> sent = new CopyOnWriteArrayList<>();
    List<CompletableFuture<AsyncResultSet>> outstanding = new CopyOnWriteArrayList<>();
    RequestExecutor executor = perReplicaSet(statement -> {
      sent.add(statement);
      CompletableFuture<AsyncResultSet> future = new CompletableFuture<>();
      outstanding.add(future);
      return future;
    }, ConcurrencyMode.ADAPTIVE, 64, 0);
    List<PlannedBatch> batches = new ArrayList<>(singlesTo("a", 2, 20));
    batches.addAll(singlesTo("b", 2, 20));
    WriteJob job = executor.submit(40, batches);
    assertThat(sent).hasSize(16);
    WriteTimeoutException timeout =
        new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH);

    // A stall of both: one write of each times out (no retries here), and each replica set's limit halves to 4.
    // Once may be a coincidence: each keeps its own limit, and the others complete.
    timeOutFirstOfEach(sent, outstanding, 0, timeout);
    assertThat(limits).noneMatch(c -> c.detail().contains("met trouble together"));
    now.addAndGet(500_000_000L);
    for (int i = 0; i < 16; i++) {
      if (!outstanding.get(i).isDone()) {
        outstanding.get(i).complete(null);
      }
    }
    int beforeSecond = sent.size();
    assertThat(sent.subList(16, beforeSecond)).as("more of each, round-robin under their own limits")
        .extracting(replicaSetOf::get).contains("a", "b");

    // A second stall, half a second later: each halves again, and they share one limit, their sum, from then on.
    timeOutFirstOfEach(sent, outstanding, 16, timeout);
    List<LimitChange> perSet = limits.stream().filter(LimitChange::isPerReplicaSet).toList();
    int sum = List.of("a", "b").stream().mapToInt(set -> perSet.stream().filter(c -> c.scope().equals(set))
        .reduce((first, second) -> second).orElseThrow().limit()).sum();
    assertThat(limits).filteredOn(c -> c.cause() == LimitChange.Cause.POOLED && !c.isPerReplicaSet()
        && c.detail().contains("met trouble together")).singleElement()
        .satisfies(c -> assertThat(c.limit()).isEqualTo(sum));
    int inFlight = executor.inFlight();
    assertThat(inFlight).as("more in flight than the shared limit").isGreaterThan(sum);
    // Nothing new starts until the requests in flight come down below the shared limit, and then a's remaining
    // requests go before b's, in the order they were queued.
    assertThat(sent).hasSize(beforeSecond);
    while (sent.size() < 40 || outstanding.stream().anyMatch(f -> !f.isDone())) {
      outstanding.stream().filter(f -> !f.isDone()).findFirst().ifPresent(f -> f.complete(null));
      assertThat(executor.inFlight()).isLessThanOrEqualTo(inFlight);
    }
    List<String> rest = sent.subList(beforeSecond, 40).stream().map(replicaSetOf::get).toList();
    long aLeft = rest.stream().filter("a"::equals).count();
    assertThat(aLeft).as("a's and b's both left after the second stall: %s", rest).isBetween(1L, 39L - beforeSecond);
    assertThat(rest.subList(0, (int) aLeft)).containsOnly("a");
    assertThat(rest.subList((int) aLeft, rest.size())).containsOnly("b");
    WriteResult result = job.result().get(5, TimeUnit.SECONDS);
    assertThat(result.written()).isEqualTo(36);
    assertThat(result.failed()).isEqualTo(4);
  }

  /** Times out the first request of a and the first of b sent from index {@code from} on. */
  private void timeOutFirstOfEach(List<Statement<?>> sent, List<CompletableFuture<AsyncResultSet>> outstanding,
      int from, Throwable timeout) {
    for (String set : List.of("a", "b")) {
      for (int i = from; i < sent.size(); i++) {
        if (replicaSetOf.get(sent.get(i)).equals(set)) {
          outstanding.get(i).completeExceptionally(timeout);
          break;
        }
      }
    }
  }

  @Test
  void should_keep_one_fixed_limit_for_all_replica_sets_when_max_in_flight_is_fixed() throws Exception {
    List<CompletableFuture<AsyncResultSet>> outstanding = new CopyOnWriteArrayList<>();
    RequestExecutor executor = perReplicaSet(pending(outstanding), ConcurrencyMode.FIXED, 3, 0);

    WriteJob job = executor.submit(6, interleave(singlesTo("a", 2, 3), singlesTo("b", 2, 3)));

    // One limit of 3 for both replica sets together.
    assertThat(outstanding).hasSize(3);
    assertThat(limits).containsExactly(new LimitChange(0, 3, LimitChange.Cause.START, "fixed at 3"));
    outstanding.forEach(f -> f.complete(null));
    for (int i = 3; i < 6; i++) {
      outstanding.get(i).complete(null);
    }
    assertThat(job.result().get(5, TimeUnit.SECONDS).written()).isEqualTo(6);
  }
}
