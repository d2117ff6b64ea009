package dev.ringsweep.internal.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes a Parquet file as a tool other than export would: parquet-mr's example writer, no Iceberg field ids, no
 * recorded CQL types, small row groups. Row {@code i} holds id {@code i}, name {@code "n<i>"} (null for every 7th),
 * score {@code i / 4.0}, ts {@code 2024-01-01T00:00:00Z + i ms} (millis, UTC), day {@code 2024-01-01 + i % 365} and
 * small {@code i % 30000} as int32.
 */
public final class ForeignParquet {

  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message spark_schema {\n"
      + "  required int64 id;\n"
      + "  optional binary name (STRING);\n"
      + "  optional double score;\n"
      + "  optional int64 ts (TIMESTAMP(MILLIS,true));\n"
      + "  optional int32 day (DATE);\n"
      + "  optional int32 small;\n"
      + "}");

  static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");

  private ForeignParquet() {}

  public static void write(Path file, int rows) {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(SCHEMA)
        .withRowGroupSize(64 * 1024L).withPageSize(8 * 1024).build()) {
      for (int i = 0; i < rows; i++) {
        Group g = groups.newGroup().append("id", (long) i);
        if (i % 7 != 0) {
          g.append("name", "n" + i);
        }
        g.append("score", i / 4.0)
            .append("ts", EPOCH.toEpochMilli() + i)
            .append("day", (int) LocalDate.of(2024, 1, 1).plusDays(i % 365).toEpochDay())
            .append("small", i % 30000);
        writer.write(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
