package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.iceberg.Files;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopInputFile;
import org.apache.iceberg.io.DelegatingInputStream;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedInputFileTest {

  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.required(2, "payload", Types.StringType.get()));

  private static final int ROWS = 40_000;

  /**
   * A table's files come from Hadoop's FileIO, whose streams are delegating ones. Iceberg's Parquet reader unwraps a
   * delegating stream and drops the Iceberg stream around the Hadoop one; that stream's finalizer then closed the
   * Hadoop stream under the reader after a garbage collection (a 1M-row import from Iceberg failed with "this.in is
   * null" in the benchmark harness). The stream must hold what it reads and not be unwrappable.
   */
  @Test
  void should_give_streams_that_a_reader_cannot_unwrap(@TempDir Path dir) throws IOException {
    Path file = write(dir);
    try (SeekableInputStream stream = VerifiedInputFile.of(hadoopFile(file)).newStream()) {
      assertThat(stream).isNotInstanceOf(DelegatingInputStream.class);
      assertThat(stream.read()).isEqualTo('P');
    }
  }

  private static InputFile hadoopFile(Path file) {
    return HadoopInputFile.fromLocation(file.toUri().toString(), IcebergCatalogs.hadoopConf());
  }

  /** A Parquet file of many small row groups. */
  private static Path write(Path dir) throws IOException {
    Path file = dir.resolve("rows.parquet");
    try (FileAppender<Record> out = Parquet.write(Files.localOutput(file.toFile()))
        .schema(SCHEMA)
        .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "65536")
        .createWriterFunc(GenericParquetWriter::create)
        .build()) {
      GenericRecord record = GenericRecord.create(SCHEMA);
      for (long i = 0; i < ROWS; i++) {
        out.add(record.copy("id", i, "payload", "row " + i + " ".repeat((int) (i % 50))));
      }
    }
    return file;
  }
}
