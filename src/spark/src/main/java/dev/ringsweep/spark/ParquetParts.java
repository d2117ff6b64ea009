package dev.ringsweep.spark;

import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.iceberg.ParquetSource;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFiles;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.internal.imports.SourceReaderProvider;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Some row groups of the files of a Parquet source: what one import task reads. The driver reads every file's footer
 * once ({@link #plan}), checks that all files have the same columns, and deals the row groups (the single-JVM
 * reader's splits: one per row group) out to tasks; a task reads only the footers of its own files.
 *
 * @param source the source's path, for messages
 * @param firstFile the first file of the source, whose columns every file has (read for the columns when
 *     {@code parts} is empty)
 * @param parts the row groups to read, in order
 */
record ParquetParts(String source, String firstFile, List<Part> parts) implements ImportSource, Serializable {

  private static final long serialVersionUID = 1L;

  ParquetParts {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(firstFile, "firstFile");
    parts = List.copyOf(parts);
  }

  /**
   * One row group of one file.
   *
   * @param file the file's absolute path
   * @param rowGroup the row group's index in the file
   * @param checkpointName the row group's name in an import checkpoint (the single-JVM reader's)
   */
  record Part(String file, int rowGroup, String checkpointName) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * What the driver planned.
   *
   * @param parts every row group of every file, file by file
   * @param rows the rows the footers count
   * @param all the source with every part
   */
  record Plan(List<Part> parts, long rows, ParquetParts all) {}

  /**
   * Reads the footers of every file of {@code source} and lists its row groups.
   *
   * @throws IllegalArgumentException if there is no Parquet file, a file is unreadable, or the files' columns differ
   */
  static Plan plan(ParquetSource source) {
    List<Path> files = SourceFiles.list(source.path(), ".parquet");
    if (files.isEmpty()) {
      throw new IllegalArgumentException(SourceFiles.noDataFiles(source.path(), "Parquet"));
    }
    List<Part> parts = new ArrayList<>();
    List<SourceColumn> columns = null;
    long rows = 0;
    for (Path file : files) {
      String name = file.toAbsolutePath().toString();
      try (SourceReader reader = SplitSource.openReal(ImportSources.parquet(Path.of(name)), 1)) {
        if (columns == null) {
          columns = reader.columns();
        } else {
          checkSameColumns(name, reader.columns(), files.get(0).toAbsolutePath().toString(), columns);
        }
        for (int i = 0; i < reader.splits().size(); i++) {
          parts.add(new Part(name, i, reader.splits().get(i).checkpointName()));
        }
        rows += Math.max(0, reader.metadataRowCount());
      }
    }
    return new Plan(parts, rows,
        new ParquetParts(source.path().toString(), files.get(0).toAbsolutePath().toString(), parts));
  }

  /** This source reading only {@code chosen}. */
  ParquetParts only(List<Part> chosen) {
    return new ParquetParts(source, firstFile, chosen);
  }

  @Override
  public String describe() {
    return "parquet " + source;
  }

  private static void checkSameColumns(String file, List<SourceColumn> columns, String first,
      List<SourceColumn> expected) {
    if (!describe(columns).equals(describe(expected))) {
      throw new IllegalArgumentException(String.format(
          "Parquet file %s has columns %s, unlike %s with %s (all files of a source must have the same columns)",
          file, describe(columns), first, describe(expected)));
    }
  }

  private static List<String> describe(List<SourceColumn> columns) {
    return columns.stream().map(c -> c.name() + " " + c.describeType()
        + (c.recordedCqlType() == null ? "" : " (" + c.recordedCqlType() + ")")).toList();
  }

  /** Opens the row groups of a {@link ParquetParts} with the Parquet reader; registered as a service. */
  public static final class Provider implements SourceReaderProvider {
    @Override
    public SourceReader open(ImportSource source, int readers) {
      if (!(source instanceof ParquetParts parts)) {
        return null;
      }
      Set<String> files = new LinkedHashSet<>();
      parts.parts().forEach(p -> files.add(p.file()));
      if (files.isEmpty()) {
        files.add(parts.firstFile());
      }
      List<SourceReader> opened = new ArrayList<>();
      List<SourceReader.Split> chosen = new ArrayList<>();
      List<SourceColumn> columns = null;
      String firstOpened = null;
      try {
        for (String file : files) {
          SourceReader reader = SplitSource.openReal(ImportSources.parquet(Path.of(file)), 1);
          opened.add(reader);
          if (columns == null) {
            columns = reader.columns();
            firstOpened = file;
          } else {
            checkSameColumns(file, reader.columns(), firstOpened, columns);
          }
          for (Part part : parts.parts()) {
            if (!part.file().equals(file)) {
              continue;
            }
            if (part.rowGroup() >= reader.splits().size()) {
              throw new IllegalStateException(String.format("Row group %s of %s does not exist on this executor "
                      + "(the file has %s): the file changed under the import, or executors see other files",
                  part.rowGroup(), file, reader.splits().size()));
            }
            chosen.add(reader.splits().get(part.rowGroup()));
          }
        }
      } catch (RuntimeException e) {
        opened.forEach(SourceReader::close);
        throw e;
      }
      SourceReader first = opened.get(0);
      return new SourceReader(parts.describe(), first.format(), columns, chosen, -1,
          () -> opened.forEach(SourceReader::close));
    }
  }
}
