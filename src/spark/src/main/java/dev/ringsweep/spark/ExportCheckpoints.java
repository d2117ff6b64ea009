package dev.ringsweep.spark;

import dev.ringsweep.internal.export.Checkpoint;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.TargetFormat;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.ReplicaGroup;
import dev.ringsweep.token.TokenCoverage;
import dev.ringsweep.token.TokenRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checkpoint of an export on Spark, kept by the driver in the single-JVM export's format and place
 * ({@code <warehouse>/_ringsweep_checkpoints/<table>.json}, or the checkpoint file the options name): the source
 * table, the target, the format, the columns, the ids of the runs, the token intervals of the tasks that succeeded
 * and the serialized data files holding their rows. No credentials. The driver records a task's intervals and files
 * as soon as Spark reports the task succeeded, so a job that fails part-way keeps the work of its finished tasks for
 * a resume, and a single-JVM export can resume it too (and the other way round).
 */
final class ExportCheckpoints {

  private ExportCheckpoints() {}

  /**
   * Opens the checkpoint of this run, with the target's lock held and its output open: a resumed checkpoint (its
   * recorded files checked, the unrecorded files of its runs deleted), or a fresh one (an unfinished earlier one and
   * the files of its runs deleted first). Nothing is written; the caller saves it before any task starts.
   *
   * @throws IllegalStateException if resume is asked for and the checkpoint belongs to another table, other columns,
   *     another format or another target (naming both), is unreadable, or misses a recorded file; or if the target
   *     holds output but there is no checkpoint to resume
   */
  static Checkpoint open(Path file, TargetFormat format, OutputFormat output, boolean resume, String source,
      String target, List<String> columns, String runId) {
    if (file == null && resume) {
      throw new IllegalArgumentException(String.format("Cannot resume the export of %s to %s: the target has no "
          + "directory for a checkpoint (a table in a catalog); give one with ExportOptions.withCheckpointFile", source,
          target));
    }
    if (resume && Checkpoint.exists(file)) {
      Checkpoint checkpoint = Checkpoint.load(file, format.fileBase(), source, columns, format.describeFormat(),
          runId, format.startAfresh());
      if (checkpoint.target() != null && !checkpoint.target().isEmpty() && !checkpoint.target().equals(target)) {
        throw new IllegalStateException(String.format(
            "Checkpoint %s is for an export to %s, not to %s (resume the same export, or start a new one)", file,
            checkpoint.target(), target));
      }
      output.checkFinished(file, checkpoint.files());
      output.deleteStrays(checkpoint.runs(), checkpoint.files());
      return checkpoint;
    }
    if (resume && output.holdsOutput()) {
      throw new IllegalStateException(String.format(
          "Cannot resume the export of %s to %s: it already holds output but no checkpoint (%s) records which of it "
              + "is finished; %s", source, target, file, format.startAfresh()));
    }
    Checkpoint.discardUnfinished(file, output);
    return Checkpoint.fresh(file, format.fileBase(), source, target, format.describeFormat(), columns, runId);
  }

  /**
   * What is left of {@code plan} once {@code done} is skipped: each piece's parts not done, in their replica group
   * (exact whatever the split count of the run that recorded them).
   */
  static RangePlan remaining(RangePlan plan, TokenCoverage done) {
    List<ReplicaGroup> groups = new ArrayList<>();
    for (ReplicaGroup group : plan.groups()) {
      List<TokenRange> left = new ArrayList<>();
      for (TokenRange piece : group.pieces()) {
        left.addAll(done.remaining(piece));
      }
      if (!left.isEmpty()) {
        groups.add(new ReplicaGroup(group.replicas(), left));
      }
    }
    return new RangePlan(plan.ring(), groups);
  }

  /** The pieces of {@code plan} that {@code done} covers entirely. */
  static int piecesDone(RangePlan plan, TokenCoverage done) {
    int count = 0;
    for (TokenRange piece : plan.pieces()) {
      if (done.remaining(piece).isEmpty()) {
        count++;
      }
    }
    return count;
  }

  /**
   * The failed ranges for a message: how many, the first few, and the replicas they live on (e.g. the node that is
   * down).
   */
  static String describe(List<TokenRange> failed) {
    int shown = Math.min(5, failed.size());
    String first = failed.subList(0, shown).stream().map(r -> "(" + r.start() + ", " + r.end() + "]")
        .collect(Collectors.joining(", "));
    Set<String> replicas = new LinkedHashSet<>();
    failed.forEach(r -> r.replicas().forEach(replica -> replicas.add(replica.endpoint())));
    return failed.size() + " token ranges " + first + (failed.size() > shown ? " and " + (failed.size() - shown)
        + " more" : "") + (replicas.isEmpty() ? "" : " (replicas " + String.join(", ", replicas) + ")");
  }
}
