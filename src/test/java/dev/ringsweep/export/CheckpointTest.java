package dev.ringsweep.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.token.TokenRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir Path dir;

  @Test
  void should_reload_done_intervals_files_and_runs() throws Exception {
    Path file = dir.resolve("cp.json");
    Checkpoint cp = Checkpoint.fresh(file, "\"ks\".\"t\"", "csv /x", List.of("k", "v"), "run1");
    assertThat(Checkpoint.exists(file)).isFalse();
    cp.record(List.of(TokenRange.of(-100, 0), TokenRange.of(0, 50)), List.of(new WrittenFile("/x/a", 3, 10, null)));
    cp.record(List.of(TokenRange.of(Long.MAX_VALUE - 5, Long.MIN_VALUE + 5)),
        List.of(new WrittenFile("/x/b", 1, 5, "AAEC")));

    Checkpoint back = Checkpoint.load(file, "\"ks\".\"t\"", List.of("k", "v"), "run2");
    assertThat(back.runs()).containsExactly("run1", "run2");
    assertThat(back.files()).containsExactly(new WrittenFile("/x/a", 3, 10, null),
        new WrittenFile("/x/b", 1, 5, "AAEC"));
    assertThat(back.done().remaining(TokenRange.of(-200, 100)))
        .containsExactly(TokenRange.of(-200, -100), TokenRange.of(50, 100));
    assertThat(back.done().covers(TokenRange.of(Long.MAX_VALUE - 5, Long.MIN_VALUE + 5))).isTrue();
    assertThat(back.isComplete()).isFalse();
    back.markComplete();
    assertThat(Checkpoint.load(file, "\"ks\".\"t\"", List.of("k", "v"), "run3").isComplete()).isTrue();
    assertThat(Files.readString(file)).doesNotContain("password");
  }

  @Test
  void should_refuse_to_resume_a_checkpoint_of_another_export() {
    Path file = dir.resolve("cp.json");
    Checkpoint.fresh(file, "\"ks\".\"t\"", "csv /x", List.of("k"), "run1").record(List.of(), List.of());
    assertThatThrownBy(() -> Checkpoint.load(file, "\"ks\".\"other\"", List.of("k"), "run2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Checkpoint %s is for \"ks\".\"t\" [k], not \"ks\".\"other\" [k] (resume the same export, or "
            + "start a new one)", file);
  }

  @Test
  void should_skip_done_intervals_when_the_split_count_changed() {
    Path file = dir.resolve("cp.json");
    Checkpoint cp = Checkpoint.fresh(file, "s", "t", List.of("k"), "r1");
    List<TokenRange> firstPlan = TokenRange.of(Long.MIN_VALUE, Long.MIN_VALUE).splitEvenly(7);
    cp.record(List.of(firstPlan.get(0), firstPlan.get(3)), List.of());
    List<TokenRange> secondPlan = TokenRange.of(Long.MIN_VALUE, Long.MIN_VALUE).splitEvenly(5);
    var done = Checkpoint.load(file, "s", List.of("k"), "r2").done();
    java.math.BigInteger left = java.math.BigInteger.ZERO;
    var redo = new dev.ringsweep.token.TokenCoverage();
    for (TokenRange piece : secondPlan) {
      for (TokenRange part : done.remaining(piece)) {
        assertThat(done.covers(part)).isFalse();
        left = left.add(part.size());
        redo.add(part);
      }
    }
    assertThat(left.add(firstPlan.get(0).size()).add(firstPlan.get(3).size())).isEqualTo(TokenRange.RING_SIZE);
    firstPlan.forEach(r -> {
      if (r != firstPlan.get(0) && r != firstPlan.get(3)) {
        assertThat(redo.covers(r)).isTrue();
      }
    });
  }

  @Test
  void should_name_a_checkpoint_file_that_is_not_json() throws Exception {
    Path file = dir.resolve("cp.json");
    Files.writeString(file, "{ this is not json");

    assertThatThrownBy(() -> Checkpoint.load(file, "\"ks\".\"t\"", List.of("k"), "run2"))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageStartingWith("Cannot read checkpoint " + file + " (")
        .hasMessageEndingWith("); to start afresh, delete it or export with Resume.NEW");
  }

  @Test
  void should_name_a_json_file_that_is_not_a_checkpoint() throws Exception {
    Path file = dir.resolve("cp.json");
    Files.writeString(file, "{\"source\": \"\\\"ks\\\".\\\"t\\\"\", \"columns\": [\"k\"]}");

    assertThatThrownBy(() -> Checkpoint.load(file, "\"ks\".\"t\"", List.of("k"), "run2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Invalid checkpoint " + file + ": not a Ringsweep export checkpoint (expected source, columns,"
            + " done, files, runs); to start afresh, delete it or export with Resume.NEW");
  }
}
