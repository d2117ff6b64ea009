package dev.ringsweep.internal.imports;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 records as export writes them: comma-separated cells, quoted with {@code "} (doubled inside) when
 * they hold a comma, quote or line break, records ended by CRLF or LF. An empty unquoted cell is null, a quoted empty
 * cell {@code ""} the empty string. A record with a stray quote is returned as malformed, and reading resumes at the
 * next line.
 */
final class CsvRecords {

  /**
   * One record.
   *
   * @param cells the cells, null for an empty unquoted one; null when the record is malformed
   * @param text the record's text as read (without its line break)
   * @param problem why the record is malformed, or null
   */
  record CsvRecord(List<String> cells, String text, String problem) {}

  private final Reader in;
  private final boolean lineBreakAtEnd;
  private int peeked = -2;

  /** Records as any RFC 4180 writer writes them: the last one may end the file without a line break. */
  CsvRecords(Reader in) {
    this(in, false);
  }

  /**
   * @param lineBreakAtEnd whether every record ends with a line break, as export writes them: a last record without
   *     one is then malformed (a file cut short, or still being written), not a row
   */
  CsvRecords(Reader in, boolean lineBreakAtEnd) {
    this.in = in;
    this.lineBreakAtEnd = lineBreakAtEnd;
  }

  /** The next record, or null at the end of the input. */
  CsvRecord next() {
    StringBuilder text = new StringBuilder();
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean anyChar = false;
    while (true) {
      int c = read();
      if (c < 0) {
        if (!anyChar) {
          return null;
        }
        // A quoted cell is whole here: readQuoted reports one the file ends inside.
        if (lineBreakAtEnd) {
          return new CsvRecord(null, text.toString(),
              "no line break after the last record: the file ends inside it (cut short?)");
        }
        cells.add(quoted ? cell.toString() : cell.isEmpty() ? null : cell.toString());
        return new CsvRecord(cells, text.toString(), null);
      }
      anyChar = true;
      if (c == '\r' && peek() == '\n') {
        read();
        c = '\n';
      }
      if (c == '\n') {
        cells.add(quoted ? cell.toString() : cell.isEmpty() ? null : cell.toString());
        return new CsvRecord(cells, text.toString(), null);
      }
      text.append((char) c);
      if (c == ',') {
        cells.add(quoted ? cell.toString() : cell.isEmpty() ? null : cell.toString());
        cell.setLength(0);
        quoted = false;
      } else if (c == '"' && cell.isEmpty() && !quoted) {
        quoted = true;
        String problem = readQuoted(cell, text);
        if (problem != null) {
          skipLine(text);
          return new CsvRecord(null, text.toString(), problem);
        }
      } else if (c == '"' || quoted) {
        skipLine(text);
        return new CsvRecord(null, text.toString(), "stray quote in cell " + (cells.size() + 1));
      } else {
        cell.append((char) c);
      }
    }
  }

  /** Reads a quoted cell's content after its opening quote, up to and including the closing quote. */
  private String readQuoted(StringBuilder cell, StringBuilder text) {
    while (true) {
      int c = read();
      if (c < 0) {
        return "unterminated quoted cell at the end of the file";
      }
      text.append((char) c);
      if (c == '"') {
        if (peek() == '"') {
          text.append((char) read());
          cell.append('"');
        } else {
          int next = peek();
          if (next >= 0 && next != ',' && next != '\r' && next != '\n') {
            return "text after the closing quote of cell";
          }
          return null;
        }
      } else {
        cell.append((char) c);
      }
    }
  }

  private void skipLine(StringBuilder text) {
    for (int c = read(); c >= 0 && c != '\n'; c = read()) {
      if (c != '\r') {
        text.append((char) c);
      }
    }
  }

  private int read() {
    if (peeked != -2) {
      int c = peeked;
      peeked = -2;
      return c;
    }
    try {
      return in.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int peek() {
    if (peeked == -2) {
      try {
        peeked = in.read();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return peeked;
  }
}
