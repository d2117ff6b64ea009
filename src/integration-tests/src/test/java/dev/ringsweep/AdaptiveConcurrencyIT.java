package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.TokenRange;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adaptive limit of range queries in flight against a node that is easy to overload: it serves reads with two
 * threads ({@code concurrent_reads: 2}), so latency grows with every query queued beyond two, and the operator's
 * client-side timeout is set, from a measured lone count, to about what four queries at once take. With the
 * adaptive default the count is exact and the limit goes down; a ceiling set by the user and a fixed parallelism are
 * held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaptiveConcurrencyIT {

  private static final Logger LOG = LoggerFactory.getLogger(AdaptiveConcurrencyIT.class);
  private static final int HOST_INDEX = 32;
  private static final String KS = "adaptive";
  private static final int ROWS = 100_000;
  private static final int SPLITS = 128;
  private static final String PAD = "x".repeat(200);

  private LocalCluster cluster;
  private CqlSession session;
  private CountingSession counting;

  @BeforeAll
  void startCluster() {
    TestClusters.assumeChildJvms("start a node with two read threads");
    long started = System.nanoTime();
    cluster = LocalCluster.builder().clusterName("adaptive").firstHostIndex(HOST_INDEX).numTokens(8)
        .yaml("concurrent_reads", "2")
        .build().start();
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .build();
    session = CqlSession.builder().addContactPoints(cluster.contactPoints()).withLocalDatacenter("dc1")
        .withConfigLoader(config).build();
    execute("CREATE KEYSPACE " + KS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    execute("CREATE TABLE " + KS + ".t (id bigint PRIMARY KEY, payload text)");
    TestData.insert(session, "INSERT INTO " + KS + ".t (id, payload) VALUES (?, ?)", ROWS,
        i -> new Object[] {i, i + PAD});
    session.execute(SimpleStatement.newInstance("SELECT * FROM " + KS + ".t LIMIT 1")); // warm up
    counting = new CountingSession(session);
    LOG.info("Node started and {} rows written in {} s", ROWS, (System.nanoTime() - started) / 1_000_000_000);
  }

  @AfterAll
  void stopCluster() {
    if (session != null) {
      session.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  /** Records every limit change and retry. */
  private static final class Recorder implements ProgressListener {
    final List<LimitChange> changes = new CopyOnWriteArrayList<>();
    final AtomicInteger retries = new AtomicInteger();

    @Override
    public void onProgress(Progress progress) {}

    @Override
    public void onRetry(TokenRange range, int attempt, Throwable error) {
      retries.incrementAndGet();
    }

    @Override
    public void onLimitChanged(LimitChange change) {
      changes.add(change);
    }
  }

  /**
   * The session as the operator sees it (a proxy of the real one), counting the asynchronous requests in flight and
   * their peak: a count's range queries all go through {@code executeAsync}.
   */
  private static final class CountingSession implements InvocationHandler {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    private final CqlSession delegate;
    final CqlSession proxy;

    CountingSession(CqlSession delegate) {
      this.delegate = delegate;
      this.proxy = (CqlSession) Proxy.newProxyInstance(CqlSession.class.getClassLoader(),
          new Class<?>[] {CqlSession.class}, this);
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      boolean async = method.getName().equals("executeAsync");
      if (async) {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      }
      Object result;
      try {
        result = method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        if (async) {
          inFlight.decrementAndGet();
        }
        throw e.getCause();
      }
      return async ? ((CompletionStage<?>) result).whenComplete((r, e) -> inFlight.decrementAndGet()) : result;
    }

    void resetPeak() {
      peak.set(0);
    }
  }

  @Test
  void should_count_exactly_with_the_adaptive_default_and_lower_the_limit_when_the_node_is_overloaded() {
    // How long one range query takes alone on this machine now (over 16 pieces of the plan): the timeout is twice
    // that, so that two queries at once (the node's read threads) fit in it, and the adaptive ceiling (16 on one
    // node) does not.
    TokenAwareBulkOperator lone = TokenAwareBulkOperator.builder(session).splitCount(SPLITS).parallelism(1).build();
    List<TokenRange> sample = lone.plan(KS, "t").interleaved().subList(0, 16);
    CountResult alone = lone.count(KS, "t", sample);
    long perQueryMs = Math.max(1, alone.duration().toMillis() / sample.size());
    Duration timeout = Duration.ofMillis(Math.max(30, 2 * perQueryMs));
    Recorder recorder = new Recorder();
    counting.resetPeak();

    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(counting.proxy).splitCount(SPLITS)
        .requestTimeout(timeout).maxRetries(5).retryBackoff(Duration.ofMillis(20)).progressListener(recorder).build();
    CountResult result = operator.count(KS, "t");

    LOG.info("One query alone: {} ms; timeout {}; count took {}; {} retries; limit changes: {}", perQueryMs, timeout,
        result.duration(), recorder.retries.get(), recorder.changes);
    assertThat(operator.options().concurrency()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    assertThat(operator.options().parallelism()).isEqualTo(16);
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.isComplete()).isTrue();
    assertThat(recorder.changes.get(0)).isEqualTo(
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 16"));
    assertThat(recorder.changes).extracting(LimitChange::limit).allMatch(l -> l >= 1 && l <= 16);
    assertThat(recorder.changes).as("the limit went down under overload").anyMatch(LimitChange::isDecrease);
    assertThat(recorder.changes).filteredOn(LimitChange::isDecrease).extracting(LimitChange::cause)
        .allMatch(c -> c == LimitChange.Cause.ERRORS || c == LimitChange.Cause.LATENCY_ROSE);
    // ... and up again after: the first decrease comes long before the last of the 128 pieces, and a full limit
    // grows on each success.
    int firstDecrease = indexOfFirst(recorder.changes, LimitChange::isDecrease);
    assertThat(recorder.changes.subList(firstDecrease, recorder.changes.size()))
        .as("the limit went up again after it went down").anyMatch(c -> c.limit() > c.previousLimit());
    // Range queries in flight never exceeded the ceiling (one piece may wrap around the ring: two queries).
    assertThat(counting.peak.get()).isBetween(1, 17);
  }

  private static int indexOfFirst(List<LimitChange> changes, java.util.function.Predicate<LimitChange> test) {
    for (int i = 0; i < changes.size(); i++) {
      if (test.test(changes.get(i))) {
        return i;
      }
    }
    return changes.size();
  }

  @Test
  void should_hold_a_fixed_parallelism_exactly() {
    Recorder recorder = new Recorder();
    counting.resetPeak();

    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(counting.proxy).splitCount(SPLITS).parallelism(3)
        .progressListener(recorder).build();
    CountResult result = operator.count(KS, "t");

    assertThat(operator.options().concurrency()).isEqualTo(ConcurrencyMode.FIXED);
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(recorder.changes).containsExactly(
        new LimitChange(0, 3, LimitChange.Cause.START, "fixed at 3"));
    // Three pieces in flight: three queries, or four while the piece that wraps around the ring runs its two.
    assertThat(counting.peak.get()).isBetween(3, 4);
  }

  @Test
  void should_keep_an_adaptive_limit_under_the_ceiling_the_user_set() {
    Recorder recorder = new Recorder();
    counting.resetPeak();

    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(counting.proxy).splitCount(SPLITS)
        .maxParallelism(6).progressListener(recorder).build();
    CountResult result = operator.count(KS, "t");

    assertThat(operator.options().concurrency()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(recorder.changes.get(0)).isEqualTo(
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 6"));
    assertThat(recorder.changes).extracting(LimitChange::limit).allMatch(l -> l >= 1 && l <= 6);
    // Six pieces in flight at most: six queries, or seven while the piece that wraps around the ring runs its two.
    assertThat(counting.peak.get()).isBetween(1, 7);
  }

  @Test
  void should_refuse_a_fixed_and_a_maximum_parallelism_together() {
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).parallelism(4).maxParallelism(8).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Invalid options: parallelism 4 and max parallelism 8 are both set (parallelism fixes the limit "
            + "of range queries in flight, max parallelism caps an adaptive one: set one of them)");
  }

  @Test
  void should_hold_a_cap_on_rows_counted_per_second() {
    double cap = ROWS / 2.0;
    Recorder recorder = new Recorder();

    CountResult result = TokenAwareBulkOperator.builder(session).splitCount(SPLITS).parallelism(2)
        .progressListener(recorder).build()
        .count(KS, "t", CountOptions.defaults().withMaxRowsPerSecond(cap));

    assertThat(result.rows()).isEqualTo(ROWS);
    // Paid after the fact: all but the last two pieces' rows (about 2 of 128) must be paid for before the last
    // pieces start.
    double minSeconds = ROWS * (1 - 2.0 / SPLITS) / cap;
    assertThat(result.duration().toMillis()).isGreaterThanOrEqualTo((long) (minSeconds * 1000 * 0.95));
  }
}
