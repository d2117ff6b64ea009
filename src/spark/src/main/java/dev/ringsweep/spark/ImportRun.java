package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.export.Resume;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.imports.ImportCheckpoint;
import dev.ringsweep.internal.imports.ImportOperation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The driver's bookkeeping of one import on Spark: the target's row count before the first run, and the checkpoint
 * when the options name one (the single-JVM import's file and format). Opened before the tasks are planned, so that
 * a resumed import plans only the splits its checkpoint does not record; each task's splits are recorded as soon as
 * Spark reports the task succeeded without a write failure.
 */
final class ImportRun {

  private static final ImportCheckpoint.Done NOTHING = new ImportCheckpoint.Done(0, 0, 0);

  private final ImportCheckpoint checkpoint;
  private final long before;
  private final ImportCheckpoint.Done earlier;
  private final List<String> splits;
  private final List<Integer> todo;

  private ImportRun(ImportCheckpoint checkpoint, long before, List<String> splits) {
    this.checkpoint = checkpoint;
    this.before = before;
    this.earlier = checkpoint == null ? NOTHING : checkpoint.total();
    this.splits = List.copyOf(splits);
    Set<String> done = checkpoint == null ? Set.of() : checkpoint.doneSplits();
    List<Integer> left = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      if (!done.contains(splits.get(i))) {
        left.add(i);
      }
    }
    this.todo = List.copyOf(left);
  }

  /**
   * Resumes the checkpoint the options name (when asked to and it exists), or starts afresh: counts the target
   * first when the import verifies or keeps a checkpoint, and writes a fresh checkpoint when one is named.
   *
   * @param source the source as the checkpoint names it (an Iceberg table with its pinned snapshot)
   * @param splits every split of the source, in order, as the checkpoint names them
   * @param listWithWritetimes a list column the source gives write times for ({@link ImportOperation.Part}), or null
   * @throws IllegalArgumentException if the import into a counter table, or of a list column with its write times,
   *     is to be resumed
   * @throws IllegalStateException if the checkpoint belongs to another source or target
   */
  static ImportRun open(RingsweepSpark ringsweep, ImportOptions options, String source, TableMetadata table,
      List<String> splits, String listWithWritetimes) {
    String target = RangeQuery.qualified(table.getKeyspace(), table.getName());
    Path file = options.checkpointFile();
    if (file != null && options.resume() == Resume.RESUME && Files.isRegularFile(file)) {
      if (Tables.isCounterTable(table)) {
        throw new IllegalArgumentException(String.format("Cannot resume the import into counter table %s from %s: "
            + "counter updates add up, so the rows of an unfinished task would be counted twice; truncate %s and "
            + "import again with Resume.NEW", target, file, target));
      }
      if (listWithWritetimes != null) {
        throw new IllegalArgumentException(ImportOperation.resumeRefused(target, file, listWithWritetimes));
      }
      ImportCheckpoint checkpoint = ImportCheckpoint.load(file, source, target);
      checkpoint.checkSplitsKnown(splits);
      checkpoint.startRun(options.verification());
      return new ImportRun(checkpoint, checkpoint.targetRowsBefore(), splits);
    }
    long before = options.verification() != Verification.NONE || file != null
        ? ringsweep.verifier(ImportOperation.COUNT_BEFORE, options.consistencyLevel())
            .count(table.getKeyspace().asInternal(), table.getName().asInternal()).rows()
        : -1;
    ImportCheckpoint checkpoint = file == null ? null : ImportCheckpoint.fresh(file, source, target, before);
    if (checkpoint != null) {
      checkpoint.startRun(options.verification());
    }
    return new ImportRun(checkpoint, before, splits);
  }

  /**
   * How the checkpoint names an Iceberg source: by the snapshot this run pins ({@code pinned}), except when it resumes
   * the checkpoint of a single-JVM import of the same table that did not pin one ({@code unpinned}: the table only).
   * That import read the snapshot current when it ran, as its own resume would; so does this run.
   */
  static String checkpointSource(ImportOptions options, String unpinned, String pinned) {
    Path file = options.checkpointFile();
    boolean resumesUnpinned = !unpinned.equals(pinned) && file != null && options.resume() == Resume.RESUME
        && Files.isRegularFile(file) && unpinned.equals(ImportCheckpoint.recordedSource(file));
    return resumesUnpinned ? unpinned : pinned;
  }

  /** The checkpoint, or null when the import keeps none. */
  ImportCheckpoint checkpoint() {
    return checkpoint;
  }

  /** The target's rows before the first run, or -1 when not counted. */
  long before() {
    return before;
  }

  /** What earlier runs recorded (nothing on a first run). */
  ImportCheckpoint.Done earlier() {
    return earlier;
  }

  /** Every split of the source. */
  List<String> splits() {
    return splits;
  }

  /** The indices of the splits this run imports: those the checkpoint does not record, in order. */
  List<Integer> todo() {
    return todo;
  }

  /** Records the splits of a task that succeeded, unless a write of it failed (then a resume runs them again). */
  void taskSucceeded(List<Integer> taskSplits, ImportJob.TaskImport result) {
    if (checkpoint == null || result.writeFailures() > 0 || taskSplits.isEmpty()) {
      return;
    }
    checkpoint.recordTogether(taskSplits.stream().map(splits::get).toList(),
        new ImportCheckpoint.Done(result.rowsRead(), result.rows(), result.checksum(), result.badRecords()));
  }
}
