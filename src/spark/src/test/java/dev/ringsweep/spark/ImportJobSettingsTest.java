package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.imports.ImportOptions;
import org.junit.jupiter.api.Test;

/** How an import's job-wide limits become each task's. No network, no Spark. */
class ImportJobSettingsTest {

  @Test
  void should_divide_the_default_ceiling_of_64_per_node_among_the_tasks() {
    ImportOptions defaults = ImportOptions.defaults();

    ImportJob.Settings oneNode = ImportJob.Settings.of(defaults, 4, 1, null, null);
    ImportJob.Settings threeNodes = ImportJob.Settings.of(defaults, 4, 3, null, null);

    assertThat(oneNode.maxInFlight()).isEqualTo(16); // 64 / 4 tasks
    assertThat(threeNodes.maxInFlight()).isEqualTo(48); // 192 / 4 tasks
    assertThat(threeNodes.concurrency()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    // A task's ceiling is its whole share: it travels as the task's own, not again per node.
    ImportOptions task = threeNodes.toOptions("attempt-0");
    assertThat(task.maxInFlightFor(3)).isEqualTo(48);
    assertThat(task.concurrency()).isEqualTo(ConcurrencyMode.ADAPTIVE);
  }

  @Test
  void should_divide_a_limit_the_user_set_whatever_the_nodes() {
    ImportOptions fixed = ImportOptions.defaults().withMaxInFlight(100);
    ImportOptions ceiling = fixed.withConcurrency(ConcurrencyMode.ADAPTIVE);

    assertThat(ImportJob.Settings.of(fixed, 4, 3, null, null).maxInFlight()).isEqualTo(25);
    assertThat(ImportJob.Settings.of(fixed, 4, 3, null, null).toOptions("a").concurrency())
        .isEqualTo(ConcurrencyMode.FIXED);
    assertThat(ImportJob.Settings.of(ceiling, 4, 3, null, null).maxInFlight()).isEqualTo(25);
  }

  @Test
  void should_give_every_task_at_least_one_request_in_flight() {
    ImportOptions two = ImportOptions.defaults().withMaxInFlight(2);

    assertThat(ImportJob.Settings.of(two, 8, 1, null, null).maxInFlight()).isEqualTo(1);
  }
}
