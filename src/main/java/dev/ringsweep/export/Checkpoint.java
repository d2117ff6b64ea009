package dev.ringsweep.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringsweep.internal.DurableFiles;
import dev.ringsweep.token.TokenCoverage;
import dev.ringsweep.token.TokenRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The durable record of an export's progress, a JSON file beside the output: the token intervals whose rows are all
 * in finished files, those files, and the ids of the runs that wrote them. It holds no credentials: only the source
 * table, the target's description, column names, token intervals and file paths. Every update rewrites the file
 * atomically (written, forced to disk, then moved over the old one). Thread-safe.
 */
final class Checkpoint {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final String source;
  private final String target;
  private final List<String> columns;
  private final List<String> runs;
  private final TokenCoverage done;
  private final List<WrittenFile> files;
  private boolean complete;

  private Checkpoint(Path file, String source, String target, List<String> columns, List<String> runs,
      TokenCoverage done, List<WrittenFile> files, boolean complete) {
    this.file = file;
    this.source = source;
    this.target = target;
    this.columns = List.copyOf(columns);
    this.runs = new ArrayList<>(runs);
    this.done = done;
    this.files = new ArrayList<>(files);
    this.complete = complete;
  }

  /** A new checkpoint for a fresh run; nothing is written until the first {@link #record}. */
  static Checkpoint fresh(Path file, String source, String target, List<String> columns, String runId) {
    return new Checkpoint(file, source, target, columns, List.of(runId), new TokenCoverage(), List.of(), false);
  }

  /** Whether a checkpoint file exists. */
  static boolean exists(Path file) {
    return file != null && Files.isRegularFile(file);
  }

  /**
   * Loads a checkpoint to resume it with a new run.
   *
   * @throws IllegalStateException if it belongs to another table or other columns
   */
  static Checkpoint load(Path file, String source, List<String> columns, String runId) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(String.format(
          "Cannot read checkpoint %s (%s); to start afresh, delete it or export with Resume.NEW", file, e), e);
    }
    if (root == null || !root.isObject() || !root.path("source").isTextual() || !root.path("columns").isArray()
        || !root.path("done").isArray() || !root.path("files").isArray() || !root.path("runs").isArray()) {
      throw new IllegalStateException(String.format(
          "Invalid checkpoint %s: not a Ringsweep export checkpoint (expected source, columns, done, files, runs);"
              + " to start afresh, delete it or export with Resume.NEW", file));
    }
    return parse(file, root, source, columns, runId);
  }

  private static Checkpoint parse(Path file, JsonNode root, String source, List<String> columns, String runId) {
    List<String> savedColumns = strings(root.get("columns"));
    if (!root.path("source").asText().equals(source) || !savedColumns.equals(columns)) {
      throw new IllegalStateException(
          String.format("Checkpoint %s is for %s %s, not %s %s (resume the same export, or start a new one)",
              file, root.path("source").asText(), savedColumns, source, columns));
    }
    TokenCoverage done = new TokenCoverage();
    for (JsonNode interval : root.get("done")) {
      done.add(TokenRange.of(interval.get(0).asLong(), interval.get(1).asLong()));
    }
    List<WrittenFile> files = new ArrayList<>();
    for (JsonNode f : root.get("files")) {
      files.add(new WrittenFile(f.get("path").asText(), f.get("rows").asLong(), f.get("bytes").asLong(),
          f.hasNonNull("dataFile") ? f.get("dataFile").asText() : null));
    }
    List<String> runs = new ArrayList<>(strings(root.get("runs")));
    runs.add(runId);
    return new Checkpoint(file, source, root.path("target").asText(), columns, runs, done, files,
        root.path("complete").asBoolean());
  }

  /**
   * Before a fresh run: if {@code file} holds an unfinished checkpoint, deletes the files its runs left in the
   * output (they were never published) and the checkpoint itself.
   */
  static void discardUnfinished(Path file, OutputFormat output) {
    if (!exists(file)) {
      return;
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (!root.path("complete").asBoolean()) {
        output.deleteStrays(strings(root.path("runs")), List.of());
      }
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.format("Cannot read or delete checkpoint %s (%s); delete it to start afresh", file, e), e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Records intervals as done, with the finished files holding their rows, durably. */
  synchronized void record(Collection<TokenRange> intervals, Collection<WrittenFile> newFiles) {
    intervals.forEach(done::add);
    files.addAll(newFiles);
    save();
  }

  /** Marks the export complete (its output published), durably. */
  synchronized void markComplete() {
    complete = true;
    save();
  }

  synchronized boolean isComplete() {
    return complete;
  }

  /** A copy of the done intervals. */
  synchronized TokenCoverage done() {
    return TokenCoverage.of(done.covered());
  }

  synchronized List<WrittenFile> files() {
    return List.copyOf(files);
  }

  synchronized List<String> runs() {
    return List.copyOf(runs);
  }

  private void save() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    root.put("source", source);
    root.put("target", target);
    root.put("complete", complete);
    ArrayNode cols = root.putArray("columns");
    columns.forEach(cols::add);
    ArrayNode runList = root.putArray("runs");
    runs.forEach(runList::add);
    ArrayNode intervals = root.putArray("done");
    for (TokenRange r : done.covered()) {
      intervals.addArray().add(r.start()).add(r.end());
    }
    ArrayNode fileList = root.putArray("files");
    for (WrittenFile f : files) {
      ObjectNode n = fileList.addObject().put("path", f.path()).put("rows", f.rows()).put("bytes", f.bytes());
      if (f.icebergDataFile() != null) {
        n.put("dataFile", f.icebergDataFile());
      }
    }
    try {
      DurableFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
