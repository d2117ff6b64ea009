package dev.ringsweep.internal.iceberg;

import static org.apache.iceberg.Files.localOutput;

import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.internal.export.RollingSegment;
import dev.ringsweep.internal.export.Targets;
import java.io.IOException;
import java.util.Map;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;

/** The data files of a Parquet directory target, written through Iceberg's Parquet writer. */
final class ParquetFiles {

  private ParquetFiles() {}

  /** Opens Parquet files of {@code mapping}'s schema with {@code metadata} as key/value metadata. */
  static RollingSegment.Opener opener(IcebergRowMapping mapping, Map<String, String> metadata,
      ParquetCompression compression) {
    return path -> {
      Parquet.WriteBuilder builder =
          Parquet.write(localOutput(path.toFile()))
              .schema(mapping.schema())
              .createWriterFunc(GenericParquetWriter::create)
              .set(TableProperties.PARQUET_COMPRESSION, compression.codec())
              .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(Targets.ROW_GROUP_SIZE_BYTES));
      metadata.forEach(builder::meta);
      FileAppender<Record> appender = builder.build();
      return new RollingSegment.RowFile() {
        @Override
        public void write(Object[] row) {
          appender.add(mapping.toRecord(row));
        }

        @Override
        public long length() {
          return appender.length();
        }

        @Override
        public void close() throws IOException {
          appender.close();
        }
      };
    };
  }
}
