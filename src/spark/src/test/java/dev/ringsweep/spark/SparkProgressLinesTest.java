package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress lines spark-submit prints: the first, then at most one per interval, and always the last. */
class SparkProgressLinesTest {

  @Test
  void should_print_the_first_line_then_one_per_interval_and_the_last() {
    AtomicLong clock = new AtomicLong();
    List<String> lines = new ArrayList<>();
    SparkMain.ProgressLines progress = new SparkMain.ProgressLines("token ranges", 10, clock::get, lines::add);

    progress.onProgress(new Progress(1, 8, 100));
    clock.set(5);
    progress.onProgress(new Progress(2, 8, 200)); // within the interval: not printed
    clock.set(10);
    progress.onProgress(new Progress(4, 8, 400));
    clock.set(12);
    progress.onProgress(new Progress(8, 8, 800)); // the last: always printed

    assertThat(lines).containsExactly(
        "ringsweep: 1 of 8 token ranges done (13%), 100 rows",
        "ringsweep: 4 of 8 token ranges done (50%), 400 rows",
        "ringsweep: 8 of 8 token ranges done (100%), 800 rows");
  }

  @Test
  void should_print_an_import_verification_reads_first_line_then_by_the_same_rules() {
    AtomicLong clock = new AtomicLong();
    List<String> lines = new ArrayList<>();
    SparkMain.ProgressLines progress = new SparkMain.ProgressLines("source splits", 10, clock::get, lines::add);

    progress.onProgress(new Progress(4, 4, 800));
    clock.set(2);
    progress.onVerificationProgress("checksum of the target", new Progress(1, 8, 100)); // a read's first: printed
    clock.set(5);
    progress.onVerificationProgress("checksum of the target", new Progress(2, 8, 200));
    clock.set(12);
    progress.onVerificationProgress("checksum of the target", new Progress(3, 8, 300));

    assertThat(lines).containsExactly(
        "ringsweep: 4 of 4 source splits done (100%), 800 rows",
        "ringsweep: import verification, checksum of the target: 1 of 8 token ranges done (13%), 100 rows",
        "ringsweep: import verification, checksum of the target: 3 of 8 token ranges done (38%), 300 rows");
  }
}
