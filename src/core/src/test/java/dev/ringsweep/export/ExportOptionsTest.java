package dev.ringsweep.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExportOptionsTest {

  @Test
  void should_default_to_one_writer_per_processor_between_2_and_16() {
    int processors = Runtime.getRuntime().availableProcessors();
    int writers = ExportOptions.defaults().writers();
    assertThat(writers).isBetween(2, ExportOptions.MAX_DEFAULT_WRITERS);
    assertThat(writers).isEqualTo(processors < 2 ? 2 : Math.min(processors, ExportOptions.MAX_DEFAULT_WRITERS));
  }

  @Test
  void should_have_no_read_rate_limit_by_default() {
    assertThat(ExportOptions.defaults().maxRowsPerSecond()).isInfinite();
    assertThat(ExportOptions.defaults().maxBytesPerSecond()).isInfinite();
    assertThat(ExportOptions.defaults().isRateLimited()).isFalse();
    assertThat(ExportOptions.defaults().withMaxRowsPerSecond(5000).isRateLimited()).isTrue();
    assertThat(ExportOptions.defaults().withMaxBytesPerSecond(1e6).isRateLimited()).isTrue();
  }

  @Test
  void should_reject_zero_negative_nan_and_absurdly_small_read_rates_naming_the_value() {
    assertThatThrownBy(() -> ExportOptions.defaults().withMaxRowsPerSecond(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid read rate limit: 0.0 rows per second (must be at least 0.001, or infinity for no limit)");
    assertThatThrownBy(() -> ExportOptions.defaults().withMaxBytesPerSecond(-5))
        .hasMessage("Invalid read rate limit: -5.0 bytes per second (must be at least 0.001, or infinity for no "
            + "limit)");
    assertThatThrownBy(() -> ExportOptions.defaults().withMaxRowsPerSecond(Double.NaN))
        .hasMessageStartingWith("Invalid read rate limit: NaN rows per second");
    assertThatThrownBy(() -> ExportOptions.defaults().withMaxRowsPerSecond(1e-9))
        .hasMessageStartingWith("Invalid read rate limit: 1.0E-9 rows per second");
  }
}
