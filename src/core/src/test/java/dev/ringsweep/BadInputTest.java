package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input that needs no cluster: each is rejected at the public entry point with a message naming the value.
 * (Bad input that needs a real session is in {@code BadInputIT}.)
 */
class BadInputTest {

  @TempDir Path dir;

  @Test
  void should_reject_a_null_session() {
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("session must not be null");
  }

  @Test
  void should_reject_a_writer_count_that_is_not_positive_naming_it() {
    assertThatThrownBy(() -> ExportOptions.defaults().withWriters(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid writer count: 0 (must be > 0)");
    assertThatThrownBy(() -> ExportOptions.defaults().withWriters(-4))
        .hasMessage("Invalid writer count: -4 (must be > 0)");
    assertThatThrownBy(() -> ExportOptions.defaults().withWriters(100_000))
        .hasMessage("Invalid writer count: 100000 (must be at most 1024)");
    assertThat(ExportOptions.defaults().withWriters(ExportOptions.MAX_WRITERS).writers()).isEqualTo(1024);
  }

  @Test
  void should_reject_a_negative_checkpoint_interval_naming_it() {
    assertThatThrownBy(() -> ExportOptions.defaults().withCheckpointInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid checkpoint interval: PT-1S (must be >= 0)");
    assertThatThrownBy(() -> ExportOptions.defaults().withCheckpointInterval(Duration.ofDays(2)))
        .hasMessage("Invalid checkpoint interval: PT48H (must be at most PT24H)");
    assertThat(ExportOptions.defaults().withCheckpointInterval(Duration.ofDays(1)).checkpointInterval())
        .isEqualTo(Duration.ofDays(1));
  }

  @Test
  void should_reject_a_blank_or_null_export_column_name_naming_it() {
    assertThatThrownBy(() -> ExportOptions.defaults().withColumns("id", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid column name: ' ' (must not be blank) in [id,  ]");
    assertThatThrownBy(() -> ExportOptions.defaults().withWritetimeAndTtl("v", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid writetime/TTL column name: null (must not be blank) in [v, null]");
  }

  @Test
  void should_reject_a_target_file_size_that_is_not_positive_naming_it() {
    assertThatThrownBy(() -> ExportTarget.jsonLines(dir).withTargetFileSizeBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid target file size: 0 (must be > 0)");
    assertThatThrownBy(() -> ExportTarget.csv(dir).withTargetFileSizeBytes(-1))
        .hasMessage("Invalid target file size: -1 (must be > 0)");
  }
}
