package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.internal.imports.Conversions;
import dev.ringsweep.internal.imports.SourceColumn;
import dev.ringsweep.internal.imports.SourceFormat;
import dev.ringsweep.internal.imports.SourceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;



class ParquetReaderTest {

  @TempDir Path dir;

  @Test
  void should_read_a_foreign_file_row_group_by_row_group_with_its_natural_types() throws Exception {
    Path file = dir.resolve("data.parquet");
    ForeignParquet.write(file, 20_000);
    try (SourceReader reader = ParquetReader.open(ImportSources.parquet(dir))) {
      assertThat(reader.columns()).extracting(SourceColumn::name)
          .containsExactly("id", "name", "score", "ts", "day", "small");
      assertThat(reader.columns()).allMatch(c -> c.recordedCqlType() == null);
      assertThat(reader.columns().get(3).storedType()).isEqualTo(Types.TimestampType.withZone());
      assertThat(reader.splits()).hasSizeGreaterThan(1);
      assertThat(reader.metadataRowCount()).isEqualTo(20_000);

      List<DataType> targets = List.of(DataTypes.BIGINT, DataTypes.TEXT, DataTypes.DOUBLE, DataTypes.TIMESTAMP,
          DataTypes.DATE, DataTypes.SMALLINT);
      List<Conversions.Converter> converters = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        Conversions.Resolved r = Conversions.resolve(IcebergFormat.INSTANCE, reader.columns().get(i), targets.get(i));
        assertThat(r.problem()).isNull();
        converters.add(r.converter());
      }
      boolean[] seen = new boolean[20_000];
      for (SourceReader.Split split : reader.splits()) {
        try (SourceReader.Rows rows = split.open()) {
          while (rows.hasNext()) {
            Object[] raw = rows.next().values();
            int i = (int) (long) (Long) converters.get(0).convert(raw[0]);
            assertThat(seen[i]).as("row %s read twice", i).isFalse();
            seen[i] = true;
            assertThat(raw[1] == null ? null : converters.get(1).convert(raw[1])).isEqualTo(i % 7 == 0 ? null
                : "n" + i);
            assertThat(converters.get(2).convert(raw[2])).isEqualTo(i / 4.0);
            assertThat(converters.get(3).convert(raw[3])).isEqualTo(ForeignParquet.EPOCH.plusMillis(i));
            assertThat(converters.get(4).convert(raw[4])).isEqualTo(LocalDate.of(2024, 1, 1).plusDays(i % 365));
            assertThat(converters.get(5).convert(raw[5])).isEqualTo((short) (i % 30000));
          }
        }
      }
      for (int i = 0; i < seen.length; i++) {
        assertThat(seen[i]).as("row %s", i).isTrue();
      }
    }
  }

  @Test
  void should_refuse_a_directory_whose_files_have_different_columns_before_reading_any_row() throws Exception {
    ForeignParquet.write(dir.resolve("a.parquet"), 10);
    Files.createDirectories(dir.resolve("sub"));
    org.apache.parquet.schema.MessageType other = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
        "message m { required int64 id; }");
    try (var writer = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
        new org.apache.parquet.io.LocalOutputFile(dir.resolve("sub/b.parquet"))).withType(other).build()) {
      writer.write(new org.apache.parquet.example.data.simple.SimpleGroupFactory(other).newGroup().append("id", 1L));
    }
    assertThatThrownBy(() -> ParquetReader.open(ImportSources.parquet(dir)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Parquet file " + dir.resolve("sub/b.parquet") + " has columns [id long")
        .hasMessageContaining("unlike " + dir.resolve("a.parquet"));
  }

  @Test
  void should_say_so_when_there_is_no_parquet_file() {
    assertThatThrownBy(() -> ParquetReader.open(ImportSources.parquet(dir)))
        .hasMessage("No Parquet file in " + dir);
    assertThatThrownBy(() -> ParquetReader.open(ImportSources.parquet(dir.resolve("nope"))))
        .hasMessage("Invalid import source: " + dir.resolve("nope") + " (no such file or directory)");
  }

  @Test
  void should_name_a_row_group_in_a_checkpoint_by_its_file_size_and_index() throws Exception {
    Path file = dir.resolve("names.parquet");
    writeNames(file, "a");
    try (SourceReader reader = ParquetReader.open(ImportSources.parquet(dir))) {
      SourceReader.Split split = reader.splits().get(0);
      assertThat(split.describe()).isEqualTo(file + " row group 0");
      assertThat(split.checkpointName()).isEqualTo(file + " (" + Files.size(file) + " bytes) row group 0");
    }
    // Rewritten under the same name with as many rows, other ones: another split for a checkpoint.
    String before;
    try (SourceReader reader = ParquetReader.open(ImportSources.parquet(dir))) {
      before = reader.splits().get(0).checkpointName();
    }
    Files.delete(file);
    writeNames(file, "a much longer name");
    try (SourceReader reader = ParquetReader.open(ImportSources.parquet(dir))) {
      assertThat(reader.metadataRowCount()).isEqualTo(1);
      assertThat(reader.splits().get(0).checkpointName()).isNotEqualTo(before)
          .isEqualTo(file + " (" + Files.size(file) + " bytes) row group 0");
    }
  }

  private static void writeNames(Path file, String name) throws Exception {
    org.apache.parquet.schema.MessageType type = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
        "message m { required binary name (STRING); }");
    try (var writer = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
        new org.apache.parquet.io.LocalOutputFile(file)).withType(type).build()) {
      writer.write(new org.apache.parquet.example.data.simple.SimpleGroupFactory(type).newGroup().append("name", name));
    }
  }
}
