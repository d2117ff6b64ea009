package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line of a bulk operation, drawn into a buffer instead of a terminal. */
class ProgressBarsTest {

  @Test
  void should_show_the_current_limit_of_range_queries_in_flight_beside_the_rows() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    ProgressBars.RangeBar bar = new ProgressBars(ProgressBars.Display.SHOW, stream).ranges("count ks.t");
    ProgressListener listener = bar.listener();

    listener.onLimitChanged(new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 16"));
    listener.onProgress(new Progress(3, 10, 1_500));
    listener.onLimitChanged(new LimitChange(4, 2, LimitChange.Cause.ERRORS, "ReadTimeoutException"));
    bar.close();

    // The bar redraws in place ('\r'): its last drawing is its final state.
    String output = buffer.toString(StandardCharsets.UTF_8);
    String last = output.substring(output.lastIndexOf('\r') + 1);
    assertThat(last).contains("count ks.t").contains("1,500 rows").contains("limit 2").doesNotContain("limit 4");
  }

  @Test
  void should_leave_the_limit_out_until_an_operation_reports_one() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressBars.RangeBar bar = new ProgressBars(ProgressBars.Display.SHOW,
        new PrintStream(buffer, true, StandardCharsets.UTF_8)).parts("import ks.t", "splits");

    bar.listener().onProgress(new Progress(1, 2, 10));
    bar.close();

    assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("10 rows").doesNotContain("limit");
  }

  @Test
  void should_show_the_sum_of_the_replica_sets_limits_and_how_many_there_are() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressBars.RangeBar bar = new ProgressBars(ProgressBars.Display.SHOW,
        new PrintStream(buffer, true, StandardCharsets.UTF_8)).ranges("count ks.t");
    ProgressListener listener = bar.listener();

    listener.onLimitChanged(new LimitChange(0, 48, LimitChange.Cause.START, "adaptive per replica set", "all"));
    listener.onLimitChanged(new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 48", "/127.0.0.1:9042"));
    listener.onLimitChanged(new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 48", "/127.0.0.2:9042"));
    listener.onLimitChanged(new LimitChange(4, 2, LimitChange.Cause.ERRORS, "ReadTimeoutException",
        "/127.0.0.2:9042"));
    listener.onProgress(new Progress(3, 10, 1_500));
    bar.close();

    String output = buffer.toString(StandardCharsets.UTF_8);
    String last = output.substring(output.lastIndexOf('\r') + 1);
    assertThat(last).contains("limit 6 over 2 replica sets");
  }

  @Test
  void should_count_only_the_replica_sets_of_the_operation_that_started_last() {
    ProgressBars.RangeBar bar = new ProgressBars(ProgressBars.Display.SHOW,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).ranges("count ks.t");
    ProgressListener listener = bar.listener();

    // An operation on three replica sets...
    startWrites(listener, 5, "a", "b", "c");
    assertThat(bar.message()).contains("limit 15 over 3 replica sets");
    // ...then one on two of them, reported to the same listener.
    listener.onLimitChanged(new LimitChange(0, 16, LimitChange.Cause.START, "adaptive per replica set", "all"));
    listener.onLimitChanged(new LimitChange(0, 8, LimitChange.Cause.START, "adaptive, up to 16", "a"));
    listener.onLimitChanged(new LimitChange(0, 8, LimitChange.Cause.START, "adaptive, up to 16", "b"));
    listener.onLimitChanged(new LimitChange(8, 4, LimitChange.Cause.LATENCY_ROSE, "latency rose", "b"));
    bar.close();

    assertThat(bar.message()).contains("limit 12 over 2 replica sets");
  }

  @Test
  void should_show_an_imports_verification_limit_with_its_read_never_as_the_writes_limit() {
    ProgressBars.RangeBar bar = importBar();
    ProgressListener listener = bar.listener();

    // An import's writes on three replica sets (batches across replica sets have one of their own)...
    startWrites(listener, 5, "a", "b", "a, b");
    listener.onProgress(new Progress(2, 2, 20_000));
    assertThat(bar.message()).contains("limit 15 over 3 replica sets").doesNotContain("verifying");
    // ...then its verification's checksum, which reads from two of them: its limit is its own, named by its read.
    String read = "checksum of the target";
    listener.onVerificationLimitChanged(read, new LimitChange(0, 16, LimitChange.Cause.START,
        "adaptive per replica set (2 replica sets), at most 16 in all (import verification: checksum of the target)",
        "all"));
    listener.onVerificationLimitChanged(read, new LimitChange(0, 8, LimitChange.Cause.START, "adaptive, up to 16", "a"));
    listener.onVerificationLimitChanged(read, new LimitChange(0, 8, LimitChange.Cause.START, "adaptive, up to 16", "b"));
    listener.onVerificationLimitChanged(read, new LimitChange(8, 4, LimitChange.Cause.LATENCY_ROSE, "latency rose",
        "b"));
    assertThat(bar.message()).isEqualTo("20,000 rows; verifying checksum, limit 12 over 2 replica sets");

    listener.onVerificationProgress(read, new Progress(12, 32, 7_500));
    assertThat(bar.message())
        .isEqualTo("20,000 rows; verifying checksum: 12/32 ranges, 7,500 rows, limit 12 over 2 replica sets");
    listener.onVerificationProgress(read, new Progress(32, 32, 20_000));
    bar.close();
    assertThat(bar.message())
        .isEqualTo("20,000 rows; verified checksum: 32/32 ranges, 20,000 rows, limit 12 over 2 replica sets");
  }

  @Test
  void should_start_each_verification_read_without_the_figures_of_the_read_before() {
    ProgressBars.RangeBar bar = importBar();
    ProgressListener listener = bar.listener();

    listener.onVerificationProgress("row count of the target", new Progress(16, 16, 20_000));
    listener.onVerificationLimitChanged("row count of the target",
        new LimitChange(0, 16, LimitChange.Cause.START, "adaptive, up to 64"));
    listener.onVerificationLimitChanged("checksum of the target",
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 16"));
    bar.close();

    assertThat(bar.message()).isEqualTo("0 rows; verifying checksum, limit 4");
  }

  @Test
  void should_drop_a_finished_verification_read_once_the_operation_goes_on() {
    ProgressBars.RangeBar bar = importBar();
    ProgressListener listener = bar.listener();

    // An import's count of the target before its writes...
    listener.onVerificationLimitChanged("row count of the target before the import",
        new LimitChange(0, 16, LimitChange.Cause.START, "adaptive, up to 64"));
    listener.onVerificationProgress("row count of the target before the import", new Progress(15, 16, 0));
    listener.onProgress(new Progress(0, 2, 0));
    assertThat(bar.message())
        .isEqualTo("0 rows; verifying row count before the import: 15/16 ranges, 0 rows, limit 16");
    listener.onVerificationProgress("row count of the target before the import", new Progress(16, 16, 0));
    // ...then its writes.
    startWrites(listener, 16, "a");
    listener.onProgress(new Progress(1, 2, 10_000));
    bar.close();

    assertThat(bar.message()).startsWith("10,000 rows").contains("limit 16").doesNotContain("verifying");
  }

  @Test
  void should_show_the_one_limit_replica_sets_share_while_pooled_and_their_own_after() {
    ProgressBars.RangeBar bar = importBar();
    ProgressListener listener = bar.listener();
    startWrites(listener, 6, "a", "b");

    listener.onLimitChanged(new LimitChange(64, 12, LimitChange.Cause.POOLED, "they met trouble together", "all"));
    listener.onLimitChanged(new LimitChange(12, 6, LimitChange.Cause.ERRORS, "WriteTimeoutException", "all"));
    assertThat(bar.message()).contains("limit 6 shared by 2 replica sets");

    listener.onLimitChanged(new LimitChange(6, 64, LimitChange.Cause.UNPOOLED, "no trouble together", "all"));
    listener.onLimitChanged(new LimitChange(6, 7, LimitChange.Cause.LATENCY_HELD, "latency held", "a"));
    bar.close();
    assertThat(bar.message()).contains("limit 13 over 2 replica sets");
  }

  @Test
  void should_show_the_rows_and_where_the_verification_read_is_instead_of_the_writes_figures_while_it_runs() {
    ProgressBars.RangeBar bar = importBar();
    ProgressListener listener = bar.listener();
    listener.onLimitChanged(new LimitChange(0, 16, LimitChange.Cause.START, "adaptive, up to 64"));
    listener.onProgress(new Progress(2, 2, 20_000));
    assertThat(bar.message()).startsWith("20,000 rows, ").endsWith(" rows/s, limit 16");

    listener.onVerificationProgress("checksum of the target", new Progress(12, 32, 7_500));
    bar.close();

    assertThat(bar.message()).isEqualTo("20,000 rows; verifying checksum: 12/32 ranges, 7,500 rows");
  }

  /** An import's bar, drawn into a buffer. */
  private static ProgressBars.RangeBar importBar() {
    return new ProgressBars(ProgressBars.Display.SHOW,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).parts("import ks.t", "splits");
  }

  /** An adaptive writer's start: its ceiling of 64, then a limit of {@code each} for each of {@code sets}. */
  private static void startWrites(ProgressListener listener, int each, String... sets) {
    listener.onLimitChanged(new LimitChange(0, 64, LimitChange.Cause.START, "adaptive per replica set", "all"));
    for (String set : sets) {
      listener.onLimitChanged(new LimitChange(0, each, LimitChange.Cause.START, "adaptive, up to 64", set));
    }
  }

  @Test
  void should_show_the_requests_retried_so_far_once_there_is_one_range_queries_and_writes_together() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressBars.RangeBar bar = new ProgressBars(ProgressBars.Display.SHOW,
        new PrintStream(buffer, true, StandardCharsets.UTF_8)).parts("import ks.t", "splits");
    ProgressListener listener = bar.listener();

    listener.onProgress(new Progress(1, 4, 10));
    assertThat(bar.message()).doesNotContain("retr");
    listener.onWriteRetry(20, 1, new RuntimeException("timed out"));
    assertThat(bar.message()).endsWith(", 1 retry");
    listener.onRetry(new TokenRange(0, 10, List.of()), 1, new RuntimeException("timed out"));
    listener.onWriteRetry(20, 2, new RuntimeException("timed out"));
    bar.close();

    String output = buffer.toString(StandardCharsets.UTF_8);
    String last = output.substring(output.lastIndexOf('\r') + 1);
    assertThat(last).contains("10 rows").contains("3 retries");
  }

  @Test
  void should_fit_an_import_line_with_its_verification_reads_limit_without_a_terminal_at_the_default_width() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProgressBars.RangeBar bar = new ProgressBars(ProgressBars.Display.SHOW,
        new PrintStream(buffer, true, StandardCharsets.UTF_8), ProgressBars.NO_TERMINAL_WIDTH)
        .parts("import \u2190 Iceberg", "splits");
    ProgressListener listener = bar.listener();
    String read = "checksum of the target";

    listener.onProgress(new Progress(4, 4, 20_000));
    listener.onVerificationLimitChanged(read,
        new LimitChange(0, 16, LimitChange.Cause.START, "adaptive, up to 64 (import verification: " + read + ")"));
    listener.onVerificationProgress(read, new Progress(31, 32, 19_375));
    bar.close();

    // The main job's line: before 2026-11-29 a line without a terminal was 110 columns, which cut this one off
    // before the read's limit.
    String output = buffer.toString(StandardCharsets.UTF_8);
    String last = output.substring(output.lastIndexOf('\r') + 1).strip();
    assertThat(last).contains("import \u2190 Iceberg")
        .endsWith("20,000 rows; verifying checksum: 31/32 ranges, 19,375 rows, limit 16");
  }

  @Test
  void should_take_the_width_without_a_terminal_from_columns_when_it_is_a_usable_width() {
    assertThat(ProgressBars.noTerminalWidth("200")).isEqualTo(200);
    assertThat(ProgressBars.noTerminalWidth(" 90 ")).isEqualTo(90);
    assertThat(ProgressBars.noTerminalWidth(null)).isEqualTo(ProgressBars.NO_TERMINAL_WIDTH);
    assertThat(ProgressBars.noTerminalWidth("wide")).isEqualTo(ProgressBars.NO_TERMINAL_WIDTH);
    assertThat(ProgressBars.noTerminalWidth("12")).isEqualTo(ProgressBars.NO_TERMINAL_WIDTH);
  }
}
