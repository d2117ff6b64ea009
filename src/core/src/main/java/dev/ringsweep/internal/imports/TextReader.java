package dev.ringsweep.internal.imports;

import dev.ringsweep.imports.CsvSource;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.imports.JsonLinesSource;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringsweep.internal.format.TextCodec;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFiles;
import dev.ringsweep.internal.imports.SourceFormat;
import dev.ringsweep.internal.imports.SourceReader.RawRow;
import dev.ringsweep.internal.imports.SourceReader.Rows;
import dev.ringsweep.internal.imports.SourceReader.Split;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.internal.imports.TextFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Reads the CSV or JSON lines files of an export (gzip-compressed or not), one split per file. Columns and their CQL
 * types come from {@code _ringsweep_schema.json}; without it, from the first file's header (CSV) or first object
 * (JSON lines), typed as the target's columns. A line that cannot be read (malformed, wrong number of cells, a
 * member that is no column) is a bad record; the other lines are read on.
 */
final class TextReader {

  private TextReader() {}

  /**
   * Finds the files and the columns.
   *
   * @throws IllegalArgumentException if there is no file, or a CSV header differs from the recorded columns
   */
  static SourceReader open(ImportSource source) {
    boolean csv = source instanceof CsvSource;
    Path path = csv ? ((CsvSource) source).path() : ((JsonLinesSource) source).path();
    List<Path> files = SourceFiles.list(path, csv ? ".csv" : ".jsonl");
    if (files.isEmpty()) {
      throw new IllegalArgumentException(SourceFiles.noDataFiles(path, csv ? "CSV" : "JSON lines"));
    }
    List<SourceColumn> columns = SourceFiles.recordedColumns(path);
    // A schema file says the files are an export's, which ends every CSV record with a line break.
    boolean exported = columns != null;
    if (csv) {
      for (Path file : files) {
        List<String> header = header(file);
        if (columns == null) {
          columns = header.stream().map(n -> SourceColumn.text(n, null)).toList();
        }
        List<String> names = columns.stream().map(SourceColumn::name).toList();
        if (header.size() != names.size() || !header.containsAll(names)) {
          throw new IllegalArgumentException(
              String.format("CSV file %s has the header %s, not the columns %s", file, header, names));
        }
      }
    } else if (columns == null) {
      columns = firstObjectFields(files);
    }
    TextFormat format = csv ? TextFormat.CSV : TextFormat.JSON;
    List<SourceColumn> all = List.copyOf(columns);
    List<FileSplit> splits = files.stream().map(file -> new FileSplit(file, format, all, exported, size(file)))
        .toList();
    return new SourceReader(source.describe(), format, all, splits, -1, () -> {});
  }

  private static List<String> header(Path file) {
    try (BufferedReader in = SourceFiles.open(file)) {
      CsvRecords.CsvRecord header = new CsvRecords(in).next();
      if (header == null || header.cells() == null || header.cells().contains(null)) {
        throw new IllegalArgumentException(String.format("CSV file %s has no valid header line", file));
      }
      return header.cells();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<SourceColumn> firstObjectFields(List<Path> files) {
    ObjectMapper json = TextCodec.objectMapper();
    for (Path file : files) {
      try (BufferedReader in = SourceFiles.open(file)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          List<SourceColumn> columns = new ArrayList<>();
          json.readTree(line).fieldNames().forEachRemaining(n -> columns.add(SourceColumn.text(n, null)));
          return List.copyOf(columns);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            String.format("JSON lines file %s does not start with a JSON object: %s", file, e.getMessage()), e);
      }
    }
    throw new IllegalArgumentException("No row in any JSON lines file, and no " + SourceFiles.SCHEMA_FILE);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(String.format("Cannot read the size of %s (%s)", file, e), e);
    }
  }

  /**
   * One file of {@code format}, holding {@code columns}; {@code exported} when it is an export's (a schema file
   * beside it), whose CSV records each end with a line break; {@code bytes} its size when planned.
   */
  private record FileSplit(Path file, TextFormat format, List<SourceColumn> columns, boolean exported, long bytes)
      implements Split {

    @Override
    public String describe() {
      return file.toString();
    }

    /**
     * The file and its size: a file rewritten under the same name between two runs of an import (with other rows)
     * is then another split, and a resume refuses the checkpoint rather than skip it.
     */
    @Override
    public String checkpointName() {
      return file + " (" + bytes + " bytes)";
    }

    @Override
    public Rows open() {
      BufferedReader in = SourceFiles.open(file);
      Iterator<RawRow> rows = format == TextFormat.CSV ? csv(in) : json(in);
      return Rows.of(rows, Function.identity(), in);
    }

    private Iterator<RawRow> csv(BufferedReader in) {
      CsvRecords records = new CsvRecords(in, exported);
      List<String> header = records.next().cells();
      int[] position = new int[columns.size()];
      for (int i = 0; i < position.length; i++) {
        position[i] = header.indexOf(columns.get(i).name());
      }
      return new Lookahead<>() {
        @Override
        RawRow fetch() {
          CsvRecords.CsvRecord r = records.next();
          if (r == null) {
            return null;
          }
          if (r.problem() != null) {
            return RawRow.bad(r.text(), "malformed CSV: " + r.problem());
          }
          if (r.cells().size() != header.size()) {
            return RawRow.bad(r.text(),
                String.format("%s cells where the header has %s", r.cells().size(), header.size()));
          }
          Object[] values = new Object[position.length];
          for (int i = 0; i < values.length; i++) {
            values[i] = r.cells().get(position[i]);
          }
          return RawRow.of(values, r.text());
        }
      };
    }

    private Iterator<RawRow> json(BufferedReader in) {
      ObjectMapper mapper = TextCodec.objectMapper();
      Map<String, Integer> index = new java.util.LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        index.put(columns.get(i).name(), i);
      }
      return new Lookahead<>() {
        @Override
        RawRow fetch() {
          String line;
          try {
            do {
              line = in.readLine();
            } while (line != null && line.isBlank());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          if (line == null) {
            return null;
          }
          JsonNode node;
          try {
            node = mapper.readTree(line);
          } catch (JsonProcessingException e) {
            return RawRow.bad(line, "malformed JSON: " + e.getOriginalMessage());
          }
          if (!node.isObject()) {
            return RawRow.bad(line, "not a JSON object");
          }
          Object[] values = new Object[columns.size()];
          for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            Integer i = index.get(member.getKey());
            if (i == null) {
              return RawRow.bad(line, "unknown member " + member.getKey() + " (columns: " + index.keySet() + ")");
            }
            values[i] = member.getValue().isNull() ? null : member.getValue();
          }
          return RawRow.of(values, line);
        }
      };
    }
  }

  /** An iterator over values fetched one ahead; {@link #fetch()} returns null at the end. */
  private abstract static class Lookahead<T> implements Iterator<T> {
    private T next;
    private boolean done;

    abstract T fetch();

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = fetch();
        done = next == null;
      }
      return next != null;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T out = next;
      next = null;
      return out;
    }
  }
}
