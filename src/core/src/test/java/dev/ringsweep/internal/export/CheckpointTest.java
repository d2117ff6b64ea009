package dev.ringsweep.internal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.token.TokenRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


class CheckpointTest {

  private static final String CSV = "csv compression=none";

  @TempDir Path dir;

  /** Loads a checkpoint of a CSV export with no base directory. */
  private static Checkpoint load(Path file, String source, List<String> columns, String runId) {
    return Checkpoint.load(file, null, source, columns, CSV, runId, "start afresh");
  }

  @Test
  void should_record_files_relative_to_the_directory_and_find_them_where_it_is_now() throws Exception {
    Path file = dir.resolve("out").resolve("cp.json");
    Path out = dir.resolve("out");
    Checkpoint cp = Checkpoint.fresh(file, out, "s", "csv " + out, CSV, List.of("k"), "run1");
    cp.record(List.of(TokenRange.of(0, 1)), List.of(new WrittenFile(out.resolve("part-run1-a.csv").toString(), 1, 2,
        null)));
    assertThat(Files.readString(file)).contains("\"path\" : \"part-run1-a.csv\"").doesNotContain(out.toString() + "/");

    Path moved = dir.resolve("moved");
    Checkpoint back = Checkpoint.load(file, moved, "s", List.of("k"), CSV, "run2", "start afresh");
    assertThat(back.files()).containsExactly(new WrittenFile(moved.resolve("part-run1-a.csv").toString(), 1, 2, null));
  }

  @Test
  void should_find_the_files_of_a_version_1_checkpoint_by_name_in_the_directory_as_it_is_now() throws Exception {
    Path file = dir.resolve("cp.json");
    Files.writeString(file, "{\"version\": 1, \"source\": \"s\", \"target\": \"csv /old\", \"complete\": false,"
        + " \"columns\": [\"k\"], \"runs\": [\"r1\"], \"done\": [[0, 1]],"
        + " \"files\": [{\"path\": \"/old/place/part-r1-a.csv\", \"rows\": 1, \"bytes\": 2}]}");
    Path now = dir.resolve("new");

    Checkpoint back = Checkpoint.load(file, now, "s", List.of("k"), CSV, "r2", "start afresh");

    assertThat(back.files()).containsExactly(new WrittenFile(now.resolve("part-r1-a.csv").toString(), 1, 2, null));
  }

  @Test
  void should_refuse_to_resume_with_another_format_naming_both() {
    Path file = dir.resolve("cp.json");
    Checkpoint.fresh(file, null, "s", "t", "parquet compression=zstd", List.of("k"), "r1").save();

    assertThatThrownBy(() -> load(file, "s", List.of("k"), "r2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Checkpoint %s is for an export as parquet compression=zstd, not as csv compression=none (resume "
            + "with the same format and options, or export somewhere else)", file);
  }

  @Test
  void should_be_on_disk_once_saved_before_anything_is_recorded() {
    Path file = dir.resolve("cp.json");
    Checkpoint.fresh(file, null, "s", "t", CSV, List.of("k"), "r1").save();

    Checkpoint back = load(file, "s", List.of("k"), "r2");

    assertThat(back.runs()).containsExactly("r1", "r2");
    assertThat(back.files()).isEmpty();
  }

  @Test
  void should_reload_done_intervals_files_and_runs() throws Exception {
    Path file = dir.resolve("cp.json");
    Checkpoint cp = Checkpoint.fresh(file, null, "\"ks\".\"t\"", "csv /x", CSV, List.of("k", "v"), "run1");
    assertThat(Checkpoint.exists(file)).isFalse();
    cp.record(List.of(TokenRange.of(-100, 0), TokenRange.of(0, 50)), List.of(new WrittenFile("/x/a", 3, 10, null)));
    cp.record(List.of(TokenRange.of(Long.MAX_VALUE - 5, Long.MIN_VALUE + 5)),
        List.of(new WrittenFile("/x/b", 1, 5, "AAEC")));

    Checkpoint back = load(file, "\"ks\".\"t\"", List.of("k", "v"), "run2");
    assertThat(back.runs()).containsExactly("run1", "run2");
    assertThat(back.files()).containsExactly(new WrittenFile("/x/a", 3, 10, null),
        new WrittenFile("/x/b", 1, 5, "AAEC"));
    assertThat(back.done().remaining(TokenRange.of(-200, 100)))
        .containsExactly(TokenRange.of(-200, -100), TokenRange.of(50, 100));
    assertThat(back.done().covers(TokenRange.of(Long.MAX_VALUE - 5, Long.MIN_VALUE + 5))).isTrue();
    assertThat(back.isComplete()).isFalse();
    back.markComplete();
    assertThat(load(file, "\"ks\".\"t\"", List.of("k", "v"), "run3").isComplete()).isTrue();
    assertThat(Files.readString(file)).doesNotContain("password");
  }

  @Test
  void should_record_on_an_interrupted_thread_and_keep_the_interrupt() {
    // Ctrl-C interrupts the writers; a file channel would close on the interrupted write, and the writer would then
    // delete files that a checkpoint renamed into place already lists.
    Path file = dir.resolve("interrupted.json");
    Checkpoint cp = Checkpoint.fresh(file, null, "s", "t", CSV, List.of("k"), "r1");
    Thread.currentThread().interrupt();
    try {
      cp.record(List.of(TokenRange.of(0, 10)), List.of(new WrittenFile("/x/a", 3, 10, null)));
      assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
    } finally {
      Thread.interrupted();
    }
    Checkpoint back = load(file, "s", List.of("k"), "r2");
    assertThat(back.files()).containsExactly(new WrittenFile("/x/a", 3, 10, null));
    assertThat(back.done().covers(TokenRange.of(0, 10))).isTrue();
  }

  @Test
  void should_take_back_what_a_failed_record_added_so_that_no_later_record_writes_it() throws Exception {
    Path file = dir.resolve("failing.json");
    Checkpoint cp = Checkpoint.fresh(file, null, "s", "t", CSV, List.of("k"), "r1");
    cp.save();
    // The temporary file's name taken by a directory: the next write fails.
    Path tmp = Files.createDirectory(dir.resolve("failing.json.tmp"));
    assertThatThrownBy(() -> cp.record(List.of(TokenRange.of(0, 10)), List.of(new WrittenFile("/x/a", 3, 10, null))))
        .hasMessageStartingWith("Cannot write the export checkpoint " + file);
    Files.delete(tmp);

    cp.record(List.of(TokenRange.of(20, 30)), List.of(new WrittenFile("/x/b", 1, 5, null)));

    Checkpoint back = load(file, "s", List.of("k"), "r2");
    assertThat(back.files()).containsExactly(new WrittenFile("/x/b", 1, 5, null));
    assertThat(back.done().covers(TokenRange.of(0, 10))).isFalse();
    assertThat(back.done().covers(TokenRange.of(20, 30))).isTrue();
    assertThat(cp.files()).containsExactly(new WrittenFile("/x/b", 1, 5, null));
  }

  @Test
  void should_refuse_to_resume_a_checkpoint_of_another_export() {
    Path file = dir.resolve("cp.json");
    Checkpoint.fresh(file, null, "\"ks\".\"t\"", "csv /x", CSV, List.of("k"), "run1").record(List.of(), List.of());
    assertThatThrownBy(() -> load(file, "\"ks\".\"other\"", List.of("k"), "run2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Checkpoint %s is for \"ks\".\"t\" [k], not \"ks\".\"other\" [k] (resume the same export, or "
            + "start a new one)", file);
  }

  @Test
  void should_skip_done_intervals_when_the_split_count_changed() {
    Path file = dir.resolve("cp.json");
    Checkpoint cp = Checkpoint.fresh(file, null, "s", "t", CSV, List.of("k"), "r1");
    List<TokenRange> firstPlan = TokenRange.of(Long.MIN_VALUE, Long.MIN_VALUE).splitEvenly(7);
    cp.record(List.of(firstPlan.get(0), firstPlan.get(3)), List.of());
    List<TokenRange> secondPlan = TokenRange.of(Long.MIN_VALUE, Long.MIN_VALUE).splitEvenly(5);
    var done = load(file, "s", List.of("k"), "r2").done();
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

    assertThatThrownBy(() -> load(file, "\"ks\".\"t\"", List.of("k"), "run2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot resume: checkpoint " + file + " is unreadable (")
        .hasMessageEndingWith("); start afresh");
  }

  @Test
  void should_name_a_json_file_that_is_not_a_checkpoint() throws Exception {
    Path file = dir.resolve("cp.json");
    Files.writeString(file, "{\"source\": \"\\\"ks\\\".\\\"t\\\"\", \"columns\": [\"k\"]}");

    assertThatThrownBy(() -> load(file, "\"ks\".\"t\"", List.of("k"), "run2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot resume: " + file + " is not a Ringsweep export checkpoint (expected source, columns,"
            + " done, files, runs); start afresh");
  }

  /** An output that records what a fresh run's clean-up asks of it, and says whether a run's commit went through. */
  private static final class RecordingOutput implements OutputFormat {
    final boolean committed;
    final List<java.util.Collection<String>> strayRuns = new java.util.ArrayList<>();

    RecordingOutput(boolean committed) {
      this.committed = committed;
    }

    @Override
    public SegmentWriter newSegment(int worker, int sequence) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean holdsOutput() {
      return committed;
    }

    @Override
    public void checkFinished(Path checkpointFile, java.util.Collection<WrittenFile> files) {}

    @Override
    public void deleteStrays(java.util.Collection<String> runs, java.util.Collection<WrittenFile> kept) {
      strayRuns.add(List.copyOf(runs));
    }

    @Override
    public void commit(List<WrittenFile> files) {}

    @Override
    public boolean committed(java.util.Collection<String> runs) {
      return committed && runs.contains("run1");
    }

    @Override
    public void discard(List<WrittenFile> files) {}

    @Override
    public void close() {}
  }

  @Test
  void should_delete_an_unfinished_runs_files_before_a_fresh_run_unless_its_commit_went_through() {
    Path file = dir.resolve("cp.json");
    Checkpoint.fresh(file, null, "s", "t", CSV, List.of("k"), "run1").record(List.of(TokenRange.of(0, 1)),
        List.of(new WrittenFile("/x/part-run1-a", 1, 2, null)));
    RecordingOutput uncommitted = new RecordingOutput(false);

    Checkpoint.discardUnfinished(file, uncommitted);

    assertThat(uncommitted.strayRuns).containsExactly(List.of("run1"));
    assertThat(file).doesNotExist();

    // The commit went through, and the process stopped before the checkpoint said so: its files are published.
    Checkpoint.fresh(file, null, "s", "t", CSV, List.of("k"), "run1").record(List.of(TokenRange.of(0, 1)),
        List.of(new WrittenFile("/x/part-run1-a", 1, 2, null)));
    RecordingOutput committed = new RecordingOutput(true);

    Checkpoint.discardUnfinished(file, committed);

    assertThat(committed.strayRuns).isEmpty();
    assertThat(file).doesNotExist();
  }

  @Test
  void should_mark_complete_durably_on_an_interrupted_thread_and_keep_the_interrupt() {
    Path file = dir.resolve("cp.json");
    Checkpoint cp = Checkpoint.fresh(file, null, "s", "t", CSV, List.of("k"), "run1");
    cp.save();

    Thread.currentThread().interrupt();
    try {
      cp.markComplete();
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(load(file, "s", List.of("k"), "run2").isComplete()).isTrue();
  }
}
