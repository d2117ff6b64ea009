package dev.ringsweep.imports;

import java.io.Closeable;
import java.util.Iterator;
import java.util.List;

/**
 * An import source opened for reading: its columns (with their recorded CQL types), and the splits that reader
 * threads read independently. Splits are opened concurrently; the reader itself is closed once, at the end.
 */
interface SourceReader extends AutoCloseable {

  /** What the source is, for messages. */
  String describe();

  /** What kind of raw values the rows hold. */
  SourceFormat format();

  /** The columns, in the order of the values of every {@link RawRow}. */
  List<SourceColumn> columns();

  /** The independent pieces of the source: files, row groups, or Iceberg scan tasks. */
  List<Split> splits();

  /** Rows in the source by its own metadata, or -1 when it does not say. */
  long metadataRowCount();

  @Override
  void close();

  /** A piece of a source that one thread reads. */
  interface Split {
    /** Where the piece is, e.g. a file and row group. */
    String describe();

    /** Opens the piece's rows; the iterator may throw {@link java.io.UncheckedIOException} on unreadable data. */
    Rows open();
  }

  /** The rows of a split, closed when done. */
  interface Rows extends Iterator<RawRow>, Closeable {
    @Override
    void close();
  }

  /**
   * One row as read: one raw value per column, or a problem that makes it a bad record before any conversion (a
   * malformed line, a wrong number of cells).
   *
   * @param values raw values aligned with {@link #columns()}, or null when {@code problem} is set
   * @param text the row's text as read (text sources), for the bad-records file; may be null
   * @param problem why the row cannot be read, or null
   */
  record RawRow(Object[] values, String text, String problem) {
    static RawRow of(Object[] values, String text) {
      return new RawRow(values, text, null);
    }

    static RawRow bad(String text, String problem) {
      return new RawRow(null, text, problem);
    }
  }
}
