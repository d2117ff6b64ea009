package dev.ringsweep.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.testing.PartWayRuns;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * The resume contract of an export, against a real single-node cluster: a run is on record before its first data
 * file, so that an export killed at any moment (here: a real child process killed with SIGKILL, or stopped with
 * SIGTERM) resumes to exactly the source rows; a resume without a usable checkpoint, with another format, or beside a
 * running export is refused; a directory reached through another path (a symbolic link, a move) resumes exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportResumeIT {

  private static final String KS = "export_resume_it";
  /** Enough rows that the child process is still exporting when its first part file appears. */
  private static final int BIG = 120_000;
  private static final int SMALL = 20_000;
  private static final List<CqlColumn> COLUMNS =
      List.of(new CqlColumn("id", DataTypes.BIGINT), new CqlColumn("v", DataTypes.TEXT));

  private TestCluster cluster;
  private CqlSession session;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    for (String table : List.of("big", "small")) {
      execute("CREATE TABLE " + KS + "." + table + " (id bigint PRIMARY KEY, v text)");
    }
    TestData.insert(session, "INSERT INTO " + KS + ".big (id, v) VALUES (?, ?)", BIG,
        i -> new Object[] {i, "value-" + i});
    TestData.insert(session, "INSERT INTO " + KS + ".small (id, v) VALUES (?, ?)", SMALL,
        i -> new Object[] {i, "value-" + i});
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  private static void assertExactly(int rows, List<Object[]> exported) {
    Set<Long> ids = new HashSet<>();
    for (Object[] row : exported) {
      long id = (Long) row[0];
      assertThat(ids.add(id)).as("row %s exported twice", id).isTrue();
      assertThat(row[1]).as("value of row %s", id).isEqualTo("value-" + id);
    }
    assertThat(exported).hasSize(rows);
    assertThat(ids).hasSize(rows);
  }

  private ExportResult resume(String table, ExportTarget target) {
    return TokenAwareBulkOperator.builder(session).build()
        .export(KS, table, target, ExportOptions.defaults().withResume(Resume.RESUME));
  }

  /** Runs an export whose session is closed after a few ranges: it fails part-way, its checkpoint records files. */
  private BulkOperationException interrupted(String table, ExportTarget target) {
    return PartWayRuns.failExport(cluster, KS, table, target,
        ExportOptions.defaults().withCheckpointInterval(Duration.ZERO).withWriters(2));
  }

  // ---- A real process killed or interrupted mid-export ----

  /** Starts the command line's export of {@code table} into {@code target} as JSON lines in a child JVM. */
  private Process startCliExport(String table, Path target, Path log) throws IOException {
    var contactPoint = cluster.contactPoints().get(0);
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "dev.ringsweep.cli.Main", "export", "-k", KS, "-t", table, "-f", "json", "--target", target.toString(),
        // Small pages and one writer: the export lasts long enough to be stopped in the middle.
        "--page-size", "50", "--writers", "1", "--no-progress",
        "-c", contactPoint.getAddress().getHostAddress() + ":" + contactPoint.getPort(),
        "--local-dc", cluster.localDc()));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the child has written rows into a part file (and has not finished yet). */
  private static void awaitFirstRows(Process process, Path target, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("export still running; output:%n%s", read(log)).isTrue();
      if (Files.isDirectory(target)) {
        try (Stream<Path> files = Files.list(target)) {
          if (files.anyMatch(p -> p.getFileName().toString().startsWith("part-") && p.toFile().length() > 0)) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no part file appeared in " + target + "; output:\n" + read(log));
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static List<String> partFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-")).sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void should_resume_exactly_after_the_export_process_is_killed_before_its_first_checkpoint() throws Exception {
    Path target = dir.resolve("killed");
    Path log = dir.resolve("killed.log");
    Process process = startCliExport("big", target, log);
    awaitFirstRows(process, target, log);
    process.destroyForcibly(); // SIGKILL: no clean-up at all, the part file stays half-written
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(partFiles(target)).as("the killed run left its unfinished file").isNotEmpty();

    ExportResult resumed = resume("big", ExportTarget.jsonLines(target));

    assertThat(resumed.rows()).isEqualTo(BIG);
    assertExactly(BIG, ExportReaders.jsonLines(target, COLUMNS));
  }

  @Test
  void should_stop_cleanly_on_sigterm_say_how_to_resume_and_then_resume_exactly() throws Exception {
    // SIGTERM, not SIGINT: a process started in the background by a non-interactive shell (as CI may run this
    // suite) inherits SIGINT ignored, and the JVM then never sees it. Both signals run the same shutdown hook.
    Path target = dir.resolve("sigterm");
    Path log = dir.resolve("sigterm.log");
    Process process = startCliExport("big", target, log);
    awaitFirstRows(process, target, log);
    process.destroy(); // SIGTERM
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String output = read(log);

    assertThat(process.exitValue()).as("exit code (128 + SIGTERM); output:%n%s", output).isEqualTo(143);
    assertThat(output).contains("interrupted", "--resume");
    // Every part file left is one the checkpoint records as finished: the unfinished one was deleted.
    JsonNode checkpoint = new ObjectMapper().readTree(target.resolve("_ringsweep_checkpoint.json").toFile());
    List<String> recorded = new ArrayList<>();
    checkpoint.get("files").forEach(f -> recorded.add(f.get("path").asText()));
    assertThat(partFiles(target)).containsExactlyInAnyOrderElementsOf(recorded);

    resume("big", ExportTarget.jsonLines(target));
    assertExactly(BIG, ExportReaders.jsonLines(target, COLUMNS));
  }

  // ---- What resume refuses ----

  @Test
  void should_refuse_to_resume_into_a_directory_that_holds_files_but_no_checkpoint() throws IOException {
    Path target = dir.resolve("no-checkpoint");
    TokenAwareBulkOperator.builder(session).build().export(KS, "small", ExportTarget.jsonLines(target));
    Files.delete(target.resolve("_ringsweep_checkpoint.json"));
    List<String> before = partFiles(target);

    assertThatThrownBy(() -> resume("small", ExportTarget.jsonLines(target)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot resume the export of " + KS + ".small")
        .hasMessageContaining("holds output but no checkpoint")
        .hasMessageContaining("export again into an empty directory");
    assertThat(partFiles(target)).isEqualTo(before);
    assertExactly(SMALL, ExportReaders.jsonLines(target, COLUMNS));
  }

  @Test
  void should_refuse_to_resume_from_a_corrupt_checkpoint_and_not_advise_deleting_it() throws IOException {
    Path target = dir.resolve("corrupt");
    interrupted("small", ExportTarget.jsonLines(target));
    Path checkpoint = target.resolve("_ringsweep_checkpoint.json");
    Files.writeString(checkpoint, "{\"source\": \"" + KS + ".small\", \"files\": [");

    assertThatThrownBy(() -> resume("small", ExportTarget.jsonLines(target)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot resume: checkpoint " + checkpoint + " is unreadable")
        .hasMessageContaining("export again into an empty directory");
    Files.delete(checkpoint);
    // Deleting it, as a user might, does not make a resume duplicate rows either: it is refused.
    assertThatThrownBy(() -> resume("small", ExportTarget.jsonLines(target)))
        .hasMessageContaining("holds output but no checkpoint");
  }

  @Test
  void should_refuse_to_resume_with_another_format_naming_both() throws IOException {
    Path target = dir.resolve("format");
    interrupted("small", ExportTargets.parquet(target));
    List<String> before = partFiles(target);

    assertThatThrownBy(() -> resume("small", ExportTarget.csv(target)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is for an export as parquet compression=zstd, not as csv compression=none");
    assertThatThrownBy(() -> resume("small", ExportTargets.parquet(target).withCompression(ParquetCompression.GZIP)))
        .hasMessageContaining("not as parquet compression=gzip");
    assertThat(partFiles(target)).isEqualTo(before).allMatch(n -> n.endsWith(".parquet"));

    resume("small", ExportTargets.parquet(target));
    assertExactly(SMALL, ExportReaders.parquet(target, COLUMNS));
  }

  @Test
  void should_refuse_a_second_export_into_a_target_in_use() {
    Path target = dir.resolve("in-use");
    AtomicReference<Throwable> second = new AtomicReference<>();
    AtomicBoolean tried = new AtomicBoolean();
    TokenAwareBulkOperator first = TokenAwareBulkOperator.builder(session).progressListener(p -> {
      if (tried.compareAndSet(false, true)) {
        second.set(catchThrowable(() -> resume("small", ExportTarget.jsonLines(target))));
      }
    }).build();

    first.export(KS, "small", ExportTarget.jsonLines(target));

    assertThat(second.get()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is in use by another export")
        .hasMessageContaining(target.resolve("_ringsweep.lock").toString());
    assertExactly(SMALL, ExportReaders.jsonLines(target, COLUMNS));
    // The lock ends with the export: a resume of the finished export now runs (and has nothing to do).
    assertThat(resume("small", ExportTarget.jsonLines(target)).rows()).isZero();
  }

  @Test
  void should_refuse_to_resume_into_an_iceberg_table_that_has_data_but_no_checkpoint() throws IOException {
    Path warehouse = dir.resolve("ice-no-checkpoint");
    IcebergTarget target = ExportTargets.iceberg(warehouse, "db.small");
    TokenAwareBulkOperator.builder(session).build().export(KS, "small", target);
    Files.delete(warehouse.resolve("_ringsweep_checkpoints").resolve("db.small.json"));

    assertThatThrownBy(() -> resume("small", target))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds output but no checkpoint");
    assertExactly(SMALL, ExportReaders.iceberg(warehouse, "db.small", COLUMNS));
  }

  /**
   * A process that stops between the Iceberg commit and the checkpoint's mark of it (killed, or its checkpoint write
   * failed) leaves a table that holds every row and a checkpoint that says the export is not complete. The resume
   * finds the commit by its run and commits nothing again: each row is in the table once.
   */
  @Test
  void should_not_commit_again_when_resuming_an_iceberg_export_whose_commit_went_through_unrecorded()
      throws IOException {
    Path warehouse = dir.resolve("ice-committed-unrecorded");
    IcebergTarget target = ExportTargets.iceberg(warehouse, "db.small");
    TokenAwareBulkOperator.builder(session).build().export(KS, "small", target);
    Path checkpoint = warehouse.resolve("_ringsweep_checkpoints").resolve("db.small.json");
    String complete = Files.readString(checkpoint);
    assertThat(complete).containsPattern("\"complete\"\\s*:\\s*true");
    Files.writeString(checkpoint, complete.replaceFirst("\"complete\"\\s*:\\s*true", "\"complete\" : false"));

    ExportResult resumed = resume("small", target);

    assertThat(resumed.rows()).as("rows exported by the resume").isZero();
    assertThat(resumed.rangesSkipped()).isEqualTo(resumed.rangesTotal());
    assertExactly(SMALL, ExportReaders.iceberg(warehouse, "db.small", COLUMNS));
    assertThat(Files.readString(checkpoint)).containsPattern("\"complete\"\\s*:\\s*true");
    assertThat(resume("small", target).rows()).as("a resume of a complete export").isZero();
    assertExactly(SMALL, ExportReaders.iceberg(warehouse, "db.small", COLUMNS));
  }

  @Test
  void should_refuse_to_import_an_export_that_has_not_finished_and_import_it_once_resumed() {
    Path target = dir.resolve("unfinished");
    interrupted("small", ExportTarget.jsonLines(target));
    execute("CREATE TABLE IF NOT EXISTS " + KS + ".small_copy (id bigint PRIMARY KEY, v text)");
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();

    assertThatThrownBy(() -> operator.importFrom(ImportSource.jsonLines(target), KS, "small_copy"))
        .hasMessageContaining("holds an export that has not finished")
        .hasMessageContaining("resume that export to the end first");
    assertThat(session.execute("SELECT count(*) FROM " + KS + ".small_copy").one().getLong(0)).isZero();

    resume("small", ExportTarget.jsonLines(target));
    assertThat(operator.importFrom(ImportSource.jsonLines(target), KS, "small_copy").rows())
        .isEqualTo(SMALL);
  }

  @Test
  void should_say_when_the_checkpoint_folder_cannot_be_created() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path checkpoint = file.resolve("checkpoints").resolve("cp.json");
    IcebergTarget target = ExportTargets.iceberg(dir.resolve("wh-folder"), "db.small");

    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).build().export(KS, "small", target,
        ExportOptions.defaults().withCheckpointFile(checkpoint)))
        .hasMessageStartingWith("Cannot create the folder " + checkpoint.getParent() + " of the checkpoint and lock "
            + "file of export target iceberg db.small");
  }

  // ---- Resuming through another path ----

  private void resumeThroughAnotherPath(String name, Function<Path, Path> move) throws IOException {
    Path original = dir.resolve(name);
    BulkOperationException failure = interrupted("small", ExportTarget.jsonLines(original));
    assertThat(failure.partialResult(ExportResult.class).rows()).isPositive().isLessThan(SMALL);
    Path elsewhere = move.apply(original);

    resume("small", ExportTarget.jsonLines(elsewhere));

    assertExactly(SMALL, ExportReaders.jsonLines(elsewhere, COLUMNS));
  }

  @Test
  void should_resume_exactly_through_a_symbolic_link() throws IOException {
    resumeThroughAnotherPath("linked", original -> {
      try {
        return Files.createSymbolicLink(dir.resolve("link-to-linked"), original);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void should_resume_exactly_after_the_directory_was_moved() throws IOException {
    resumeThroughAnotherPath("moved", original -> {
      try {
        return Files.move(original, dir.resolve("moved-here"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  @Test
  void should_refuse_to_resume_when_a_recorded_file_is_missing_naming_it() throws IOException {
    Path target = dir.resolve("missing");
    interrupted("small", ExportTarget.jsonLines(target));
    JsonNode checkpoint = new ObjectMapper().readTree(target.resolve("_ringsweep_checkpoint.json").toFile());
    String recorded = checkpoint.get("files").get(0).get("path").asText();
    Files.delete(target.resolve(recorded));

    assertThatThrownBy(() -> resume("small", ExportTarget.jsonLines(target)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("records the finished file " + recorded + ", which is not in " + target);
  }
}
