package dev.ringsweep.internal.imports;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * An import source opened for reading: its columns (with their recorded CQL types), and the splits that reader
 * threads read independently. Splits are opened concurrently; the reader itself is closed once, at the end.
 * {@link IcebergReader}, {@link ParquetReader} and {@link TextReader} open one each.
 */
public final class SourceReader implements AutoCloseable {

  private final String description;
  private final SourceFormat format;
  private final List<SourceColumn> columns;
  private final List<Split> splits;
  private final long metadataRowCount;
  private final Runnable onClose;

  /**
   * @param description what the source is, for messages
   * @param format what kind of raw values the rows hold
   * @param columns the columns, in the order of the values of every {@link RawRow}
   * @param splits the independent pieces of the source
   * @param metadataRowCount rows in the source by its own metadata, or -1 when it does not say
   * @param onClose releases what the reader holds open across splits (a catalog), run once by {@link #close()}
   */
  public SourceReader(String description, SourceFormat format, List<SourceColumn> columns, List<? extends Split> splits,
      long metadataRowCount, Runnable onClose) {
    this.description = description;
    this.format = format;
    this.columns = List.copyOf(columns);
    this.splits = List.copyOf(splits);
    this.metadataRowCount = metadataRowCount;
    this.onClose = onClose;
  }

  /** What the source is, for messages. */
  public String describe() {
    return description;
  }

  /** What kind of raw values the rows hold. */
  public SourceFormat format() {
    return format;
  }

  /** The columns, in the order of the values of every {@link RawRow}. */
  public List<SourceColumn> columns() {
    return columns;
  }

  /** The independent pieces of the source: files, row groups, or Iceberg scan tasks. */
  public List<Split> splits() {
    return splits;
  }

  /** Rows in the source by its own metadata, or -1 when it does not say. */
  public long metadataRowCount() {
    return metadataRowCount;
  }

  @Override
  public void close() {
    onClose.run();
  }

  /** A piece of a source that one thread reads. */
  public interface Split {
    /** Where the piece is, e.g. a file and row group. */
    String describe();

    /**
     * The piece's name in an import checkpoint: {@link #describe()}, unless the place alone does not tell the same
     * rows from other ones (a text file rewritten under the same name between two runs of an import).
     */
    default String checkpointName() {
      return describe();
    }

    /** Opens the piece's rows; the iterator may throw {@link java.io.UncheckedIOException} on unreadable data. */
    Rows open();
  }

  /** The rows of a split, closed when done. */
  public interface Rows extends Iterator<RawRow>, Closeable {
    @Override
    void close();

    /**
     * The rows of {@code source}, each made a {@link RawRow} by {@code row}; closing them closes {@code resource}
     * (an {@link IOException} becomes an {@link UncheckedIOException}).
     */
    static <T> Rows of(Iterator<T> source, Function<T, RawRow> row, Closeable resource) {
      return new Rows() {
        @Override
        public boolean hasNext() {
          return source.hasNext();
        }

        @Override
        public RawRow next() {
          return row.apply(source.next());
        }

        @Override
        public void close() {
          try {
            resource.close();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
    }
  }

  /**
   * One row as read: one raw value per column, or a problem that makes it a bad record before any conversion (a
   * malformed line, a wrong number of cells).
   *
   * @param values raw values aligned with {@link #columns()}, or null when {@code problem} is set
   * @param text the row's text as read (text sources), for the bad-records file; may be null
   * @param problem why the row cannot be read, or null
   */
  public record RawRow(Object[] values, String text, String problem) {
    public static RawRow of(Object[] values, String text) {
      return new RawRow(values, text, null);
    }

    public static RawRow bad(String text, String problem) {
      return new RawRow(null, text, problem);
    }
  }
}
