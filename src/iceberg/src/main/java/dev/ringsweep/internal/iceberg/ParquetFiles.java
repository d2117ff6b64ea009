package dev.ringsweep.internal.iceberg;

import static org.apache.iceberg.Files.localOutput;

import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.internal.export.RollingSegment;
import dev.ringsweep.internal.export.Targets;
import java.io.IOException;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.formats.FileWriterBuilder;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.DataWriter;

/**
 * The data files of a Parquet directory target, written through Iceberg's format-model API. No Parquet type passes
 * through Iceberg's API, so this also runs on iceberg-spark-runtime, which relocates Parquet.
 */
final class ParquetFiles {

  private ParquetFiles() {}

  /** Opens Parquet files of {@code mapping}'s schema with {@code metadata} as key/value metadata. */
  static RollingSegment.Opener opener(IcebergRowMapping mapping, Map<String, String> metadata,
      ParquetCompression compression) {
    return path -> {
      FileWriterBuilder<DataWriter<Record>, Schema> builder = FormatModelRegistry.dataWriteBuilder(
              FileFormat.PARQUET, Record.class, EncryptedFiles.plainAsEncryptedOutput(localOutput(path.toFile())));
      builder.schema(mapping.schema())
          .spec(PartitionSpec.unpartitioned())
          .set(TableProperties.PARQUET_COMPRESSION, compression.codec())
          .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(Targets.ROW_GROUP_SIZE_BYTES));
      metadata.forEach(builder::meta);
      DataWriter<Record> writer = builder.build();
      return new RollingSegment.RowFile() {
        @Override
        public void write(Object[] row) {
          writer.write(mapping.toRecord(row));
        }

        @Override
        public long length() {
          return writer.length();
        }

        @Override
        public void close() throws IOException {
          writer.close();
        }
      };
    };
  }
}
