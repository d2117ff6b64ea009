package dev.ringsweep.internal.imports;

import dev.ringsweep.internal.format.OnDisk;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Finding the data files of a file or directory source, opening them, and reading export's schema file. */
public final class SourceFiles {

  /** The schema file export writes beside CSV, JSON lines and Parquet files. */
  public static final String SCHEMA_FILE = OnDisk.SCHEMA_FILE;
  /** The checkpoint an export keeps in a directory target. */
  public static final String EXPORT_CHECKPOINT_FILE = OnDisk.CHECKPOINT_FILE;

  private SourceFiles() {}

  /**
   * The data files of a source path: the path itself if it is a file, else the files under it (recursively) whose
   * names contain {@code suffix}, sorted; a file or directory under it whose name starts with {@code _} or {@code .}
   * is skipped, with everything below it.
   *
   * @throws IllegalArgumentException if the path does not exist, or is the directory of an export that has not
   *     finished (its files are not all output: some may be left by an interrupted run)
   */
  public static List<Path> list(Path path, String suffix) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      throw new IllegalArgumentException(String.format("Invalid import source: %s (no such file or directory)", path));
    }
    checkExportFinished(path);
    try (Stream<Path> all = Files.walk(path)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> {
            // Neither the file nor a directory on its way from the source (a Spark export's staging directories
            // _ringsweep_spark-<run>, Spark's _temporary, hidden ones) may be named _... or .... (Hadoop's rule).
            for (Path part : path.relativize(p)) {
              String name = part.toString();
              if (name.startsWith("_") || name.startsWith(".")) {
                return false;
              }
            }
            return p.getFileName().toString().contains(suffix);
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The message for a source path without data files of its kind: it says so, and when the directory holds a
   * finished export that wrote no file (an export of an empty table), it says that there is nothing to import.
   */
  public static String noDataFiles(Path path, String kind) {
    Path checkpoint = path.resolve(EXPORT_CHECKPOINT_FILE);
    if (Files.isDirectory(path) && Files.isRegularFile(checkpoint)) {
      try {
        JsonNode root = new ObjectMapper().readTree(checkpoint.toFile());
        if (root.path("complete").asBoolean() && root.path("files").isArray() && root.path("files").isEmpty()) {
          return String.format("No %s file in %s: it holds the export of an empty table (its checkpoint %s records "
              + "no file); there is no row to import", kind, path, EXPORT_CHECKPOINT_FILE);
        }
      } catch (IOException e) {
        // the plain message below
      }
    }
    return String.format("No %s file in %s", kind, path);
  }

  /**
   * Refuses the directory of an export whose checkpoint does not say it is complete: until the export is resumed to
   * the end, it may hold files of an interrupted run beside the finished ones.
   */
  private static void checkExportFinished(Path directory) {
    Path checkpoint = directory.resolve(EXPORT_CHECKPOINT_FILE);
    if (!Files.isRegularFile(checkpoint)) {
      return;
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(checkpoint.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(String.format("Invalid import source: %s holds an export checkpoint %s "
          + "that cannot be read (%s), so whether its export finished is unknown", directory,
          checkpoint.getFileName(), e.getMessage()), e);
    }
    // Only an export's checkpoint says anything about the files (it records its runs).
    boolean exportCheckpoint = root != null && root.path("runs").isArray();
    if (exportCheckpoint && !root.path("complete").asBoolean()) {
      throw new IllegalArgumentException(String.format("Invalid import source: %s holds an export that has not "
          + "finished (its checkpoint %s does not say complete); resume that export to the end first "
          + "(export --resume), then import", directory, checkpoint.getFileName()));
    }
  }

  /**
   * A UTF-8 reader of a file, gunzipped when its name ends in {@code .gz}, past a byte order mark if the file starts
   * with one (as spreadsheet programs write CSV): the first column's name is then read without it.
   */
  public static BufferedReader open(Path file) {
    try {
      InputStream in = Files.newInputStream(file);
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      // A byte sequence that is not UTF-8 is an error, not a replacement character imported as if it were data.
      Reader decoded = new Utf8Only(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), file);
      BufferedReader reader = new BufferedReader(decoded, 1 << 16);
      reader.mark(1);
      if (reader.read() != BYTE_ORDER_MARK) {
        reader.reset();
      }
      return reader;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final int BYTE_ORDER_MARK = 0xFEFF;

  /** A reader that names the file when its bytes are not UTF-8. */
  private static final class Utf8Only extends FilterReader {
    private final Path file;

    Utf8Only(Reader in, Path file) {
      super(in);
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      char[] one = new char[1];
      return read(one, 0, 1) == -1 ? -1 : one[0];
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      } catch (CharacterCodingException e) {
        throw new IOException(String.format("%s is not UTF-8 text (%s); save the file as UTF-8", file, e), e);
      }
    }
  }

  /**
   * The columns recorded in the schema file of a source path (in the directory, or beside the file), or null when
   * there is none.
   *
   * @throws IllegalArgumentException if the schema file is unreadable
   */
  public static List<SourceColumn> recordedColumns(Path path) {
    Path directory = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    Path file = directory == null ? null : directory.resolve(SCHEMA_FILE);
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      List<SourceColumn> columns = new ArrayList<>();
      for (JsonNode column : root.path("columns")) {
        String name = column.path("name").asText(null);
        String type = column.path("cqlType").asText(null);
        if (name == null || type == null) {
          throw new IllegalArgumentException("a column without name or cqlType: " + column);
        }
        columns.add(SourceColumn.text(name, type));
      }
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("no columns");
      }
      return List.copyOf(columns);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(String.format("Unreadable schema file %s: %s", file, e.getMessage()), e);
    }
  }
}
