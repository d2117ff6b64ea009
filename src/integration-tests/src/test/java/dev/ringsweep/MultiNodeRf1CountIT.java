package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.ringsweep.token.TokenRange;
import org.junit.jupiter.api.Test;

/**
 * Count on three nodes with 256 vnodes each (two data centers), RF 1 in the local data center; and the adaptive
 * limit per replica set when one of the two local nodes stops answering for a while.
 */
class MultiNodeRf1CountIT extends CountContract {

  @Override
  protected TestCluster cluster() {
    return TestClusters.multi();
  }

  @Override
  protected String keyspaceName() {
    return "count_multi_rf1";
  }

  @Override
  protected String replication() {
    return "{'class': 'NetworkTopologyStrategy', '" + cluster().localDc() + "': 1}";
  }

  /**
   * At RF 1 on two local nodes the count's ranges fall into two replica sets, each with an adaptive limit of its
   * own. One node is frozen ({@code kill -STOP}) once a count is under way and thawed 2.5 s later: its range queries
   * time out and are retried until it answers. Only its replica set's limit is lowered on errors; the other node's
   * set meets no error at all, and the count is exact.
   */
  @Test
  void should_lower_only_the_limit_of_the_replica_set_of_a_node_that_stops_answering() throws Exception {
    LocalCluster local = cluster().requireLocal("freeze a node with kill -STOP");
    List<LocalNode> nodes = local.nodes().stream().filter(n -> n.dataCenter().equals(cluster().localDc())).toList();
    assertThat(nodes).hasSize(2);
    LocalNode healthy = nodes.get(0);
    LocalNode frozen = nodes.get(1);
    simpleTable("frozen_node", 5_000);
    RecordingListener recorder = new RecordingListener();
    List<LimitChange> changes = recorder.changes;
    // Frozen once the count is under way (its first range done): by then it has prepared its queries; a prepare
    // sent to the frozen node would wait for it, and the count would only start once it answers.
    AtomicBoolean paused = new AtomicBoolean();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void onProgress(Progress progress) {
        if (paused.compareAndSet(false, true)) {
          frozen.pause();
          CompletableFuture.delayedExecutor(2_500, TimeUnit.MILLISECONDS).execute(frozen::resume);
        }
      }

      @Override
      public void onRetry(TokenRange range, int attempt, Throwable error) {
        recorder.onRetry(range, attempt, error);
      }

      @Override
      public void onLimitChanged(LimitChange change) {
        recorder.onLimitChanged(change);
      }
    };
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).maxParallelism(64)
        .requestTimeout(Duration.ofSeconds(1)).maxRetries(20).retryBackoff(Duration.ofMillis(50))
        .progressListener(listener).build();
    CountResult result;
    long started = System.nanoTime();
    try {
      result = operator.count(keyspace, "frozen_node");
    } finally {
      frozen.resume(); // harmless when it already runs
    }

    org.slf4j.LoggerFactory.getLogger(MultiNodeRf1CountIT.class).info("Count with {} frozen for 2.5 s: {} ms, {} "
        + "retries, limit changes: {}", frozen, (System.nanoTime() - started) / 1_000_000, recorder.retries.get(),
        changes);
    // A replica set of one node is named by that node: host:port@dc.
    String frozenSet = frozen.address().getHostAddress() + ":" + frozen.nativeAddress().getPort() + "@"
        + frozen.dataCenter();
    String healthySet = healthy.address().getHostAddress() + ":" + healthy.nativeAddress().getPort() + "@"
        + healthy.dataCenter();
    assertThat(result.rows()).isEqualTo(5_000);
    assertThat(result.isComplete()).isTrue();
    assertThat(recorder.retries.get()).as("queries to the frozen node timed out and were retried").isPositive();
    assertThat(changes).as("one limit per replica set: %s", changes)
        .anyMatch(c -> c.scope().equals(frozenSet))
        .anyMatch(c -> c.scope().equals(healthySet));
    List<LimitChange> onErrors = changes.stream().filter(c -> c.cause() == LimitChange.Cause.ERRORS).toList();
    assertThat(onErrors).as("decreases on errors: %s", changes).isNotEmpty()
        .allMatch(c -> c.isDecrease() && c.scope().equals(frozenSet));
  }
}
