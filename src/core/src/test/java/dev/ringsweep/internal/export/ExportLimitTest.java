package dev.ringsweep.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.internal.InFlightLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limit of an export's page requests in flight: adaptive by default, fixed when the user set a parallelism. */
class ExportLimitTest {

  private static OperatorOptions options(int parallelism, ConcurrencyMode mode) {
    return new OperatorOptions(64, parallelism, mode, DefaultConsistencyLevel.LOCAL_ONE, 5000, Duration.ofSeconds(30),
        3, Duration.ofMillis(100), 3, null);
  }

  @Test
  void should_adapt_up_to_two_pages_per_writer_when_the_ceiling_is_higher() {
    InFlightLimit.Settings settings = ExportWorkers.limitSettings(options(64, ConcurrencyMode.ADAPTIVE), 4);

    assertThat(settings).isEqualTo(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 8, 8));
  }

  @Test
  void should_adapt_up_to_the_operators_ceiling_when_it_is_lower_than_the_writers_can_use() {
    InFlightLimit.Settings settings = ExportWorkers.limitSettings(options(16, ConcurrencyMode.ADAPTIVE), 16);

    assertThat(settings).isEqualTo(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 4, 16));
  }

  @Test
  void should_keep_a_parallelism_the_user_fixed_whatever_the_writers() {
    assertThat(ExportWorkers.limitSettings(options(256, ConcurrencyMode.FIXED), 2))
        .isEqualTo(InFlightLimit.Settings.fixed(256));
    assertThat(ExportWorkers.limitSettings(options(1, ConcurrencyMode.FIXED), 8))
        .isEqualTo(InFlightLimit.Settings.fixed(1));
  }
}
