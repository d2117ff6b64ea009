package dev.ringsweep.internal.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringsweep.export.TextCompression;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.format.TextCodec;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The CSV (RFC 4180) and JSON lines data files, optionally gzip-compressed. */
final class TextFiles {

  private TextFiles() {}

  /** Counts the bytes that reach the file. */
  static final class CountingStream extends FilterOutputStream {
    private long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    long count() {
      return count;
    }
  }

  /** A UTF-8 writer to a new file, gzip-compressed or not, counting the bytes written to disk. */
  private static Writer open(Path path, TextCompression compression, CountingStream[] counter) throws IOException {
    CountingStream counting = new CountingStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
    counter[0] = counting;
    OutputStream out = compression == TextCompression.GZIP ? new GZIPOutputStream(counting, 1 << 16) : counting;
    return new OutputStreamWriter(out, StandardCharsets.UTF_8);
  }

  /** A CSV file: a header line of column names, then one line per row; null is an empty unquoted cell. */
  static RollingSegment.Opener csv(List<CqlColumn> columns, TextCompression compression) {
    TextCodec[] codecs = columns.stream().map(c -> TextCodec.of(c.type())).toArray(TextCodec[]::new);
    return path -> {
      CountingStream[] counter = new CountingStream[1];
      Writer out = open(path, compression, counter);
      StringBuilder header = new StringBuilder();
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          header.append(',');
        }
        appendCell(header, columns.get(i).name());
      }
      out.write(header.append("\r\n").toString());
      return new RollingSegment.RowFile() {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void write(Object[] row) throws IOException {
          line.setLength(0);
          for (int i = 0; i < row.length; i++) {
            if (i > 0) {
              line.append(',');
            }
            if (row[i] != null) {
              appendCell(line, codecs[i].toText(row[i]));
            }
          }
          out.write(line.append("\r\n").toString());
        }

        @Override
        public long length() {
          return counter[0].count();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    };
  }

  /** Appends a non-null CSV cell, quoted when empty (to differ from null) or holding a comma, quote or line break. */
  static void appendCell(StringBuilder line, String text) {
    boolean quote = text.isEmpty();
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
      line.append(text);
      return;
    }
    line.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        line.append('"');
      }
      line.append(c);
    }
    line.append('"');
  }

  /** A JSON lines file: one JSON object per row, every column present (null as JSON null). */
  static RollingSegment.Opener jsonLines(List<CqlColumn> columns, TextCompression compression) {
    TextCodec[] codecs = columns.stream().map(c -> TextCodec.of(c.type())).toArray(TextCodec[]::new);
    JsonFactory factory = new JsonFactory();
    return path -> {
      CountingStream[] counter = new CountingStream[1];
      Writer out = open(path, compression, counter);
      JsonGenerator json = factory.createGenerator(out);
      json.setRootValueSeparator(null);
      return new RollingSegment.RowFile() {
        @Override
        public void write(Object[] row) throws IOException {
          json.writeStartObject();
          for (int i = 0; i < row.length; i++) {
            json.writeFieldName(columns.get(i).name());
            codecs[i].write(json, row[i]);
          }
          json.writeEndObject();
          json.writeRaw('\n');
        }

        @Override
        public long length() {
          return counter[0].count();
        }

        @Override
        public void close() throws IOException {
          json.close();
        }
      };
    };
  }
}
