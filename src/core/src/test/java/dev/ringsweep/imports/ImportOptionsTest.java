package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.batch.Grouping;
import org.junit.jupiter.api.Test;

class ImportOptionsTest {

  @Test
  void should_default_to_unlogged_batches_by_partition_at_local_quorum_with_count_verification() {
    ImportOptions o = ImportOptions.defaults();
    assertThat(o.batchMode()).isEqualTo(BatchMode.UNLOGGED);
    assertThat(o.grouping()).isEqualTo(Grouping.PARTITION_KEY);
    assertThat(o.consistencyLevel()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
    assertThat(o.verification()).isEqualTo(Verification.COUNT);
    assertThat(o.errorBudget()).isEqualTo(ErrorBudget.count(100));
    assertThat(o.maxInFlight()).isEqualTo(64);
    assertThat(o.readers()).isEqualTo(ImportOptions.defaultReaders());
    assertThat(o.maxRowsPerSecond()).isInfinite();
  }

  @Test
  void should_default_to_one_reader_per_processor_between_2_and_16() {
    int processors = Runtime.getRuntime().availableProcessors();
    int readers = ImportOptions.defaults().readers();
    assertThat(readers).isBetween(2, ImportOptions.MAX_DEFAULT_READERS);
    assertThat(readers).isEqualTo(processors < 2 ? 2 : Math.min(processors, ImportOptions.MAX_DEFAULT_READERS));
  }

  @Test
  void should_write_counter_tables_with_counter_batches_unless_no_batches_are_wanted() {
    assertThat(ImportOptions.defaults().writerOptions(true).mode()).isEqualTo(BatchMode.COUNTER);
    assertThat(ImportOptions.defaults().withBatchMode(BatchMode.LOGGED).writerOptions(true).mode())
        .isEqualTo(BatchMode.COUNTER);
    assertThat(ImportOptions.defaults().withBatchMode(BatchMode.NONE).writerOptions(true).mode())
        .isEqualTo(BatchMode.NONE);
    assertThat(ImportOptions.defaults().withBatchMode(BatchMode.LOGGED).writerOptions(false).mode())
        .isEqualTo(BatchMode.LOGGED);
    assertThat(ImportOptions.defaults().withMaxRowsPerSecond(500).withMaxInFlight(8).writerOptions(false))
        .satisfies(w -> {
          assertThat(w.maxStatementsPerSecond()).isEqualTo(500);
          assertThat(w.maxInFlight()).isEqualTo(8);
        });
  }

  @Test
  void should_reject_invalid_options_naming_the_value() {
    assertThatThrownBy(() -> ImportOptions.defaults().withReaders(0))
        .hasMessage("Invalid reader count: 0 (must be > 0)");
    assertThatThrownBy(() -> ImportOptions.defaults().withMaxInFlight(0))
        .hasMessage("Invalid maxInFlight: 0 (must be between 1 and 32768)");
    assertThatThrownBy(() -> ImportOptions.defaults().withMaxRowsPerSecond(0))
        .hasMessage("Invalid maxStatementsPerSecond: 0.0 (must be > 0, or infinity for no limit)");
    assertThatThrownBy(() -> ImportOptions.defaults().withMaxRetries(-1))
        .hasMessage("Invalid maxRetries: -1 (must be between 0 and 100)");
    for (var serial : new com.datastax.oss.driver.api.core.DefaultConsistencyLevel[] {
        com.datastax.oss.driver.api.core.DefaultConsistencyLevel.SERIAL,
        com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_SERIAL}) {
      assertThatThrownBy(() -> ImportOptions.defaults().withConsistencyLevel(serial))
          .hasMessage("Invalid consistency level: " + serial.name() + " (an import writes and verifies at ONE, TWO, "
              + "THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM or EACH_QUORUM)");
    }
  }

  @Test
  void should_write_with_an_adaptive_limit_by_default_and_a_fixed_one_once_max_in_flight_is_set() {
    ImportOptions defaults = ImportOptions.defaults();
    assertThat(defaults.concurrency()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    assertThat(defaults.writerOptions(false).concurrency()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    assertThat(defaults.writerOptions(false).maxInFlight()).isEqualTo(64);
    assertThat(defaults.writerOptions(false).initialInFlight()).isEqualTo(16);

    ImportOptions fixed = defaults.withMaxInFlight(200);
    assertThat(fixed.concurrency()).isEqualTo(ConcurrencyMode.FIXED);
    assertThat(fixed.writerOptions(true).concurrency()).isEqualTo(ConcurrencyMode.FIXED);
    assertThat(fixed.writerOptions(true).initialInFlight()).isEqualTo(200);

    ImportOptions capped = fixed.withConcurrency(ConcurrencyMode.ADAPTIVE);
    assertThat(capped.writerOptions(false).concurrency()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    assertThat(capped.writerOptions(false).maxInFlight()).isEqualTo(200);
    // Other settings keep the mode.
    assertThat(capped.withReaders(3).withBatchMode(BatchMode.LOGGED).concurrency())
        .isEqualTo(ConcurrencyMode.ADAPTIVE);
  }

  @Test
  void should_grow_the_default_adaptive_ceiling_with_the_nodes_of_the_data_center_up_to_1024() {
    ImportOptions defaults = ImportOptions.defaults();
    assertThat(defaults.maxInFlightPerNode()).isTrue();
    assertThat(defaults.maxInFlightFor(1)).isEqualTo(64);
    assertThat(defaults.maxInFlightFor(3)).isEqualTo(192);
    assertThat(defaults.maxInFlightFor(16)).isEqualTo(ImportOptions.MAX_PER_NODE_CEILING);
    assertThat(defaults.maxInFlightFor(100)).isEqualTo(ImportOptions.MAX_PER_NODE_CEILING);
    // Settings other than the limit keep the ceiling per node.
    assertThat(defaults.withReaders(3).withMaxRowsPerSecond(1000).maxInFlightFor(3)).isEqualTo(192);
    // A per-node value above the cap is never lowered by it.
    ImportOptions d = defaults;
    assertThat(new ImportOptions(d.batchMode(), d.grouping(), 2000, ConcurrencyMode.ADAPTIVE, d.maxRowsPerSecond(),
        d.consistencyLevel(), d.readers(), d.errorBudget(), null, d.verification(), d.maxRetries(), d.resume(), null,
        d.counterTarget(), true).maxInFlightFor(3)).isEqualTo(2000);
  }

  @Test
  void should_keep_a_ceiling_the_user_set_and_a_fixed_limit_for_the_whole_import_however_many_nodes() {
    ImportOptions capped = ImportOptions.defaults().withMaxInFlight(100).withConcurrency(ConcurrencyMode.ADAPTIVE);
    assertThat(capped.maxInFlightPerNode()).isFalse();
    assertThat(capped.maxInFlightFor(3)).isEqualTo(100);
    assertThat(ImportOptions.defaults().withMaxInFlight(8).maxInFlightFor(3)).isEqualTo(8);
    assertThat(ImportOptions.defaults().withConcurrency(ConcurrencyMode.FIXED).maxInFlightFor(3)).isEqualTo(64);
    assertThatThrownBy(() -> ImportOptions.defaults().maxInFlightFor(0))
        .hasMessage("Invalid node count: 0 (must be > 0)");
  }

  @Test
  void should_keep_the_limit_fixed_for_options_built_with_the_constructor_of_before() {
    ImportOptions d = ImportOptions.defaults();
    ImportOptions byHand = new ImportOptions(d.batchMode(), d.grouping(), 32, d.maxRowsPerSecond(),
        d.consistencyLevel(), d.readers(), d.errorBudget(), null, d.verification(), d.maxRetries(), d.resume(), null,
        d.counterTarget());
    assertThat(byHand.concurrency()).isEqualTo(ConcurrencyMode.FIXED);
    assertThat(byHand.maxInFlight()).isEqualTo(32);
    ImportOptions adaptiveByHand = new ImportOptions(d.batchMode(), d.grouping(), 32, ConcurrencyMode.ADAPTIVE,
        d.maxRowsPerSecond(), d.consistencyLevel(), d.readers(), d.errorBudget(), null, d.verification(),
        d.maxRetries(), d.resume(), null, d.counterTarget());
    assertThat(adaptiveByHand.maxInFlightPerNode()).isFalse();
    assertThat(adaptiveByHand.maxInFlightFor(3)).isEqualTo(32);
  }

  @Test
  void should_reject_a_missing_concurrency_mode_and_a_limit_out_of_range_naming_it() {
    assertThatThrownBy(() -> ImportOptions.defaults().withConcurrency(null))
        .isInstanceOf(NullPointerException.class).hasMessage("concurrency");
    assertThatThrownBy(() -> ImportOptions.defaults().withMaxInFlight(0))
        .hasMessage("Invalid maxInFlight: 0 (must be between 1 and 32768)");
    assertThatThrownBy(() -> ImportOptions.defaults().withMaxInFlight(1_000_000))
        .hasMessage("Invalid maxInFlight: 1000000 (must be between 1 and 32768)");
  }
}
