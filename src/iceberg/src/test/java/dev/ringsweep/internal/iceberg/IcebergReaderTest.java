package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.internal.imports.SourceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The splits of an Iceberg source, planned without a network: a local Hadoop table. */
class IcebergReaderTest {

  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "payload", Types.StringType.get()));

  private static final int APPENDS = 12;
  private static final int ROWS_PER_FILE = 500;

  /**
   * A table of many appends has many manifests, which Iceberg plans in parallel in an order that changes from one
   * planning to the next. A Spark import plans the same snapshot on the driver and on every executor and hands out
   * splits by index, so split i must be the same rows in every planning (before the fix, a Spark import of a table
   * appended twice read some rows twice and others never).
   */
  @Test
  void should_plan_the_same_splits_every_time_each_row_in_exactly_one(@TempDir Path dir) throws IOException {
    Table table;
    try (HadoopCatalog catalog = new HadoopCatalog(IcebergCatalogs.hadoopConf(), dir.toString())) {
      table = catalog.createTable(TableIdentifier.of("db", "t"), SCHEMA, PartitionSpec.unpartitioned());
      for (int i = 0; i < APPENDS; i++) {
        table.newAppend().appendFile(dataFile(table, i)).commit();
      }
    }
    assertThat(table.currentSnapshot().allManifests(table.io())).hasSizeGreaterThan(1);

    List<String> first = null;
    for (int planning = 0; planning < 10; planning++) {
      try (SourceReader reader = IcebergReader.open(
          ImportSources.iceberg(dir, "db.t").withCatalogKind(CatalogKind.HADOOP))) {
        List<String> splits = reader.splits().stream().map(SourceReader.Split::describe).toList();
        if (first == null) {
          first = splits;
          assertThat(splits).hasSizeGreaterThan(1);
          Set<Long> ids = new HashSet<>();
          long rows = 0;
          for (SourceReader.Split split : reader.splits()) {
            try (SourceReader.Rows part = split.open()) {
              while (part.hasNext()) {
                ids.add((Long) part.next().values()[0]);
                rows++;
              }
            }
          }
          assertThat(rows).as("rows read").isEqualTo((long) APPENDS * ROWS_PER_FILE);
          assertThat(ids).as("distinct ids read").hasSize(APPENDS * ROWS_PER_FILE);
        } else {
          assertThat(splits).as("splits of planning %s", planning).isEqualTo(first);
        }
      }
    }
  }

  /** File {@code n} of the table: ids {@code n * ROWS_PER_FILE} onwards. */
  private static DataFile dataFile(Table table, int n) throws IOException {
    OutputFile out = table.io().newOutputFile(table.location() + "/data/file-" + n + ".parquet");
    FileAppender<Record> appender = Parquet.write(out).schema(SCHEMA)
        .createWriterFunc(GenericParquetWriter::create).build();
    List<Record> records = new ArrayList<>();
    GenericRecord record = GenericRecord.create(SCHEMA);
    for (long i = 0; i < ROWS_PER_FILE; i++) {
      records.add(record.copy("id", n * (long) ROWS_PER_FILE + i, "payload", "row " + i));
    }
    try (appender) {
      appender.addAll(records);
    }
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withInputFile(out.toInputFile())
        .withFormat(FileFormat.PARQUET)
        .withMetrics(appender.metrics())
        .withSplitOffsets(appender.splitOffsets())
        .build();
  }
}
