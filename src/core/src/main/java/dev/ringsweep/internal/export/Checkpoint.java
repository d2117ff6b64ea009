package dev.ringsweep.internal.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringsweep.internal.DurableFiles;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.WrittenFile;
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
 * in finished files, those files, and the ids of the runs that wrote them. A run is recorded before it writes its
 * first data file ({@link #save}), so that whatever it leaves behind when it is killed can be told apart from the
 * finished files. The files of a directory target are recorded by their path relative to the directory, so that a
 * moved, copied or symlinked directory resumes exactly. It holds no credentials: only the source table, the target's
 * description and format, column names, token intervals and file paths. Every update rewrites the file atomically
 * (written, forced to disk, then moved over the old one). Thread-safe. Public for the Spark module, whose driver
 * records the intervals and files of finished tasks in the same format.
 */
public final class Checkpoint {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Path base;
  private final String source;
  private final String target;
  private final String format;
  private final List<String> columns;
  private final List<String> runs;
  private TokenCoverage done;
  private final List<WrittenFile> files;
  private boolean complete;

  private Checkpoint(Path file, Path base, String source, String target, String format, List<String> columns,
      List<String> runs, TokenCoverage done, List<WrittenFile> files, boolean complete) {
    this.file = file;
    this.base = base;
    this.source = source;
    this.target = target;
    this.format = format;
    this.columns = List.copyOf(columns);
    this.runs = new ArrayList<>(runs);
    this.done = done;
    this.files = new ArrayList<>(files);
    this.complete = complete;
  }

  /**
   * A new checkpoint for a fresh run; nothing is written until {@link #save}.
   *
   * @param base the directory that recorded file paths are relative to (a directory target), or null to record
   *     them as they are (an Iceberg table's locations)
   * @param format the target's format and the options that shape its files ({@link OutputFormat#describeFormat})
   */
  public static Checkpoint fresh(Path file, Path base, String source, String target, String format, List<String> columns,
      String runId) {
    return new Checkpoint(file, base, source, target, format, columns, List.of(runId), new TokenCoverage(),
        List.of(), false);
  }

  /** Whether a checkpoint file exists. */
  public static boolean exists(Path file) {
    return file != null && Files.isRegularFile(file);
  }

  /**
   * Loads a checkpoint to resume it with a new run (recorded by the next {@link #save}).
   *
   * @param base as in {@link #fresh}: where relative file paths are resolved now
   * @param startAfresh what the user can do instead of resuming, for the error messages
   * @throws IllegalStateException if it is unreadable, or belongs to another table, other columns or another format
   */
  public static Checkpoint load(Path file, Path base, String source, List<String> columns, String format, String runId,
      String startAfresh) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(String.format(
          "Cannot resume: checkpoint %s is unreadable (%s); %s", file, e.getMessage(), startAfresh), e);
    }
    if (root == null || !root.isObject() || !root.path("source").isTextual() || !root.path("columns").isArray()
        || !root.path("done").isArray() || !root.path("files").isArray() || !root.path("runs").isArray()) {
      throw new IllegalStateException(String.format(
          "Cannot resume: %s is not a Ringsweep export checkpoint (expected source, columns, done, files, runs); %s",
          file, startAfresh));
    }
    return parse(file, base, root, source, columns, format, runId);
  }

  private static Checkpoint parse(Path file, Path base, JsonNode root, String source, List<String> columns,
      String format, String runId) {
    List<String> savedColumns = strings(root.get("columns"));
    if (!root.path("source").asText().equals(source) || !savedColumns.equals(columns)) {
      throw new IllegalStateException(
          String.format("Checkpoint %s is for %s %s, not %s %s (resume the same export, or start a new one)",
              file, root.path("source").asText(), savedColumns, source, columns));
    }
    // Checkpoints of version 1 did not record the format: they resume as before.
    String savedFormat = root.path("format").asText(format);
    if (!savedFormat.equals(format)) {
      throw new IllegalStateException(String.format(
          "Checkpoint %s is for an export as %s, not as %s (resume with the same format and options, or export "
              + "somewhere else)", file, savedFormat, format));
    }
    TokenCoverage done = new TokenCoverage();
    for (JsonNode interval : root.get("done")) {
      done.add(TokenRange.of(interval.get(0).asLong(), interval.get(1).asLong()));
    }
    List<WrittenFile> files = new ArrayList<>();
    for (JsonNode f : root.get("files")) {
      files.add(new WrittenFile(resolve(base, f.get("path").asText()), f.get("rows").asLong(),
          f.get("bytes").asLong(), f.hasNonNull("dataFile") ? f.get("dataFile").asText() : null));
    }
    List<String> runs = new ArrayList<>(strings(root.get("runs")));
    runs.add(runId);
    return new Checkpoint(file, base, source, root.path("target").asText(), format, columns, runs, done, files,
        root.path("complete").asBoolean());
  }

  /**
   * Where a recorded file is now: relative paths under {@code base}; an absolute path of a version-1 checkpoint of a
   * directory target by its name under {@code base} (the directory may have moved since); any path as it is when
   * there is no base.
   */
  private static String resolve(Path base, String recorded) {
    if (base == null) {
      return recorded;
    }
    Path path = Path.of(recorded);
    return base.resolve(path.isAbsolute() ? path.getFileName() : path).toString();
  }

  private String relativize(String path) {
    if (base == null) {
      return path;
    }
    Path p = Path.of(path);
    return (p.isAbsolute() ? base.toAbsolutePath().relativize(p) : base.relativize(p)).toString();
  }

  /**
   * Before a fresh run: if {@code file} holds an unfinished checkpoint, deletes the files its runs left in the
   * output (they were never published) and the checkpoint itself.
   */
  public static void discardUnfinished(Path file, OutputFormat output) {
    if (!exists(file)) {
      return;
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      // Files of a commit that went through before the checkpoint could say so are published: not strays.
      if (!root.path("complete").asBoolean() && !output.committed(strings(root.path("runs")))) {
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

  /**
   * Records intervals as done, with the finished files holding their rows, durably. The write goes through on a
   * thread that was interrupted meanwhile (Ctrl-C's shutdown hook interrupts the writers; {@link DurableFiles#replace}
   * sets the interrupt aside): otherwise the writer would delete files a checkpoint renamed into place lists. If the
   * write fails all the same, the intervals and files are taken back out, so that no later write records them.
   */
  public synchronized void record(Collection<TokenRange> intervals, Collection<WrittenFile> newFiles) {
    TokenCoverage before = TokenCoverage.of(done.covered());
    int filesBefore = files.size();
    intervals.forEach(done::add);
    files.addAll(newFiles);
    boolean saved = false;
    try {
      save();
      saved = true;
    } finally {
      if (!saved) {
        done = before;
        files.subList(filesBefore, files.size()).clear();
      }
    }
  }

  /**
   * Marks the export complete (its output published), durably, even on a thread that was interrupted meanwhile (as
   * Ctrl-C's shutdown hook interrupts an export; {@link DurableFiles#replace} sets the interrupt aside and keeps it):
   * the published output would otherwise be left with a checkpoint that says it is not.
   */
  public synchronized void markComplete() {
    complete = true;
    save();
  }

  public synchronized boolean isComplete() {
    return complete;
  }

  /** A copy of the done intervals. */
  public synchronized TokenCoverage done() {
    return TokenCoverage.of(done.covered());
  }

  public synchronized List<WrittenFile> files() {
    return List.copyOf(files);
  }

  public synchronized List<String> runs() {
    return List.copyOf(runs);
  }

  /**
   * Writes the checkpoint as it is now, durably: a run calls it before it writes its first data file. A checkpoint
   * without a file (a target that has no place for one, e.g. a table in a catalog without a checkpoint file given)
   * lives in memory only and is never written.
   */
  public synchronized void save() {
    if (file == null) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 2);
    root.put("source", source);
    root.put("target", target);
    root.put("format", format);
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
      ObjectNode n =
          fileList.addObject().put("path", relativize(f.path())).put("rows", f.rows()).put("bytes", f.bytes());
      if (f.icebergDataFile() != null) {
        n.put("dataFile", f.icebergDataFile());
      }
    }
    try {
      DurableFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Cannot write the export checkpoint %s (%s)", file, e), e);
    }
  }

  public Path file() {
    return file;
  }

  /** The export target as recorded ({@code ExportTarget#describe}): a resume into another target is refused. */
  public String target() {
    return target;
  }
}
