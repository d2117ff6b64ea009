package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.batch.BatchMetrics;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportResultTest {

  private static final BatchMetrics NONE = new BatchMetrics(0, 0, Map.of(), 0, 0, 0, Duration.ZERO, Duration.ZERO,
      Duration.ZERO, 0, 0, 0, 0);

  @Test
  void should_account_for_every_row_read_as_written_or_failed() {
    ImportResult r = new ImportResult(10, 7, 3, 2, 1, null, Duration.ofSeconds(2), NONE, VerificationResult.notRun());
    assertThat(r.rowsPerSecond()).isEqualTo(3.5);
    assertThatThrownBy(() -> new ImportResult(10, 8, 3, 2, 1, null, Duration.ZERO, NONE,
        VerificationResult.notRun()))
        .hasMessage("Invalid import result: 10 read, 8 written, 3 failed (2 bad records, 1 write failures)");
    assertThatThrownBy(() -> new ImportResult(10, 7, 2, 2, 1, null, Duration.ZERO, NONE,
        VerificationResult.notRun()))
        .hasMessage("Invalid import result: 10 read, 7 written, 2 failed (2 bad records, 1 write failures)");
  }

  @Test
  void should_report_no_throughput_for_an_instant_run() {
    assertThat(new ImportResult(0, 0, 0, 0, 0, null, Duration.ZERO, NONE, VerificationResult.notRun())
        .rowsPerSecond()).isZero();
  }
}
