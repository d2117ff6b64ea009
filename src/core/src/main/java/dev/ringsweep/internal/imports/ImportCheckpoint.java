package dev.ringsweep.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.internal.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The durable record of an import's progress, a JSON file: the source and target, the target's row count before the
 * first run, and every split whose rows were all read and written (a split of a file, a Parquet row group, an
 * Iceberg scan task), with its rows read, written and their checksum, so that a resumed import skips those splits
 * and still verifies the whole. It holds no credentials and no row values. Every update rewrites the file atomically
 * (written, forced to disk, then moved over the old one). Thread-safe. Splits finished together (the splits of one
 * Spark task, whose figures the task reports as one sum) record that sum on the first of them and zeros on the
 * others ({@link #recordTogether}), so the totals stay exact. Internal: used by the import and by the Spark module.
 */
public final class ImportCheckpoint {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a finished split contributed: rows read, rows written, the checksum of the rows written, and its bad records
   * (rows read that could not be written, in the bad-records file), so that a resumed import still reports them.
   */
  public record Done(long read, long written, long checksum, long bad) {
    /** A split without bad records. */
    public Done(long read, long written, long checksum) {
      this(read, written, checksum, 0);
    }
  }

  private final Path file;
  private final String source;
  private final String target;
  private final long targetRowsBefore;
  private final Map<String, Done> done;
  /** Whether every run that recorded splits computed their checksums (else the recorded checksums are zeros). */
  private boolean checksums;

  private ImportCheckpoint(Path file, String source, String target, long targetRowsBefore, Map<String, Done> done,
      boolean checksums) {
    this.file = file;
    this.source = source;
    this.target = target;
    this.targetRowsBefore = targetRowsBefore;
    this.done = new LinkedHashMap<>(done);
    this.checksums = checksums;
  }

  /** A checkpoint for a first run, written at once (replacing any file there). */
  public static ImportCheckpoint fresh(Path file, String source, String target, long targetRowsBefore) {
    ImportCheckpoint checkpoint = new ImportCheckpoint(file, source, target, targetRowsBefore, Map.of(), true);
    checkpoint.save();
    return checkpoint;
  }

  /**
   * The source a checkpoint file names, or null when the file cannot be read or is not an import checkpoint (then
   * {@link #load} says why).
   */
  public static String recordedSource(Path file) {
    try {
      JsonNode source = JSON.readTree(file.toFile()).path("source");
      return source.isTextual() ? source.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Loads a checkpoint to resume.
   *
   * @throws IllegalStateException if it is not an import checkpoint, or belongs to another source or target
   * @throws UncheckedIOException if it cannot be read
   */
  public static ImportCheckpoint load(Path file, String source, String target) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(String.format(
          "Cannot read import checkpoint %s (%s); to start afresh, delete it or import with Resume.NEW", file, e), e);
    }
    if (root == null || !root.path("source").isTextual() || !root.path("target").isTextual()
        || !root.path("targetRowsBefore").isNumber() || !root.path("done").isArray()) {
      throw new IllegalStateException(String.format("Invalid import checkpoint %s: not a Ringsweep import checkpoint"
          + " (expected source, target, targetRowsBefore, done); to start afresh, delete it or import with"
          + " Resume.NEW", file));
    }
    if (!root.path("source").asText().equals(source) || !root.path("target").asText().equals(target)) {
      throw new IllegalStateException(String.format(
          "Import checkpoint %s is for %s into %s, not %s into %s (resume the same import, or start a new one)",
          file, root.path("source").asText(), root.path("target").asText(), source, target));
    }
    Map<String, Done> done = new LinkedHashMap<>();
    for (JsonNode split : root.get("done")) {
      done.put(split.path("split").asText(), new Done(split.path("read").asLong(), split.path("written").asLong(),
          split.path("checksum").asLong(), split.path("bad").asLong(0)));
    }
    // A checkpoint of a build before 2026-11-30 does not say: its checksums may be zeros.
    return new ImportCheckpoint(file, source, target, root.path("targetRowsBefore").asLong(), done,
        root.path("checksums").asBoolean(false));
  }

  /**
   * Starts a run of the import with {@code verification} on this checkpoint: refuses a run that would verify
   * checksums against splits that earlier runs recorded without computing theirs (their rows' checksum would be
   * missing from the source's, and the verification fail on rows written right), and notes whether this run computes
   * the checksums of the splits it records.
   *
   * @throws IllegalArgumentException naming the checkpoint and what to do instead
   */
  public synchronized void startRun(Verification verification) {
    boolean computes = verification == Verification.COUNT_AND_CHECKSUM;
    if (computes && targetRowsBefore == 0 && !checksums && !done.isEmpty()) {
      throw new IllegalArgumentException(String.format("Cannot verify the resumed import of %s into %s with "
          + "checksums (COUNT_AND_CHECKSUM): the earlier runs recorded in checkpoint %s did not compute the checksums "
          + "of their %s finished splits; resume with Verification.COUNT, or truncate "
          + "%s and import again with Resume.NEW", source, target, file, done.size(), target));
    }
    checksums &= computes;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Rows of the target before the first run, or -1 when not counted. */
  public long targetRowsBefore() {
    return targetRowsBefore;
  }

  /** The splits recorded as done. */
  public synchronized Set<String> doneSplits() {
    return Set.copyOf(done.keySet());
  }

  /**
   * Checks that every split this checkpoint records as done is among the source's splits as planned now. A recorded
   * name the source no longer has means that the source changed, or was split otherwise, since the checkpoint was
   * written: the rows behind the name are not the rows it stood for, and resuming would skip or import rows twice.
   *
   * @throws IllegalStateException naming the first such split, the checkpoint and what to do
   */
  public synchronized void checkSplitsKnown(java.util.Collection<String> current) {
    Set<String> known = current instanceof Set<String> set ? set : Set.copyOf(current);
    for (String split : done.keySet()) {
      if (!known.contains(split)) {
        throw new IllegalStateException(String.format("Cannot resume from import checkpoint %s: it records the "
                + "finished split '%s', which %s no longer has (the source changed or was split otherwise since, or "
                + "the checkpoint is of an earlier version of Ringsweep, which named splits otherwise); truncate %s "
                + "and import again with Resume.NEW", file, split, source, target));
      }
    }
  }

  /** What the recorded splits contributed, summed. */
  public synchronized Done total() {
    long read = 0;
    long written = 0;
    long checksum = 0;
    long bad = 0;
    for (Done d : done.values()) {
      read += d.read();
      written += d.written();
      checksum += d.checksum();
      bad += d.bad();
    }
    return new Done(read, written, checksum, bad);
  }

  /** Records a split as done, durably. */
  public synchronized void record(String split, Done contribution) {
    done.put(split, contribution);
    save();
  }

  /**
   * Records splits that finished together as done, durably, in one write: {@code sum} (what they contributed
   * together) on the first, zeros on the others.
   *
   * @throws IllegalArgumentException if {@code splits} is empty
   */
  public synchronized void recordTogether(java.util.List<String> splits, Done sum) {
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("Invalid splits: none (a finished task has at least one)");
    }
    done.put(splits.get(0), sum);
    for (String split : splits.subList(1, splits.size())) {
      done.put(split, new Done(0, 0, 0));
    }
    save();
  }

  private void save() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    root.put("source", source);
    root.put("target", target);
    root.put("targetRowsBefore", targetRowsBefore);
    root.put("checksums", checksums);
    ArrayNode splits = root.putArray("done");
    done.forEach((split, d) -> splits.addObject().put("split", split).put("read", d.read())
        .put("written", d.written()).put("checksum", d.checksum()).put("bad", d.bad()));
    try {
      DurableFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Cannot write import checkpoint %s (%s)", file, e), e);
    }
  }
}
