package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nodes' pauses are read from their collector logs, from a mark on. */
class GcPausesTest {

  @Test
  void should_read_the_pause_of_pause_lines_only() {
    assertThat(GcPauses.pauseMillis(
        "[232.673s][info][gc] GC(1156) Pause Young (Normal) (G1 Evacuation Pause) 613M->578M(1024M) 9.040ms"))
        .isEqualTo(9.04);
    assertThat(GcPauses.pauseMillis("[106.860s][info][gc] GC(438) Pause Remark 717M->351M(1024M) 31.932ms"))
        .isEqualTo(31.932);
    assertThat(GcPauses.pauseMillis("[0.010s][info][gc] Using G1")).isEqualTo(-1);
    assertThat(GcPauses.pauseMillis("[1.5s][info][gc] GC(3) Concurrent Mark Cycle 120.5ms")).isEqualTo(-1);
  }

  @Test
  void should_count_only_the_pauses_logged_after_the_mark_on_every_node(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("a.log");
    Path second = dir.resolve("b.log");
    Files.writeString(first,
        "[1.0s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 9M->8M(1024M) 80.0ms\n");
    GcPauses mark = GcPauses.mark(List.of(first, second)); // the second node has logged nothing yet
    Files.writeString(first,
        "[2.0s][info][gc] GC(2) Pause Young (Normal) (G1 Evacuation Pause) 9M->8M(1024M) 12.5ms\n"
        + "[2.1s][info][gc] GC(3) Pause Remark 9M->8M(1024M) 40.0ms\n", StandardOpenOption.APPEND);
    Files.writeString(second,
        "[3.0s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 9M->8M(1024M) 7.5ms\n");

    assertThat(mark.since()).containsExactlyInAnyOrder(12.5, 40.0, 7.5);
    assertThat(mark.summary(30)).isEqualTo("3 pauses, median 13 ms, longest 40 ms, 1 of 30 ms or more");
    assertThat(GcPauses.mark(List.of(first, second)).summary(30)).isEqualTo("no pause logged");
  }
}
