package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import dev.ringsweep.export.TextCompression;
import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.PartitionField;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.internal.export.DirectoryOutput;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.SegmentWriter;
import dev.ringsweep.internal.export.TargetFormats;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.format.TextCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;



class OutputFormatTest {

  private final UserDefinedType[] udts = AllTypes.detachedUdts();
  private final List<CqlColumn> columns = AllTypes.columns(udts[0], udts[1]);
  private final List<Object[]> rows = AllTypes.rows(udts[0], udts[1], AllTypes.tupleType());
  private final IcebergRowMapping mapping = IcebergRowMapping.of(columns);

  @TempDir Path dir;

  /** Writes the rows (several copies, keys made unique) with two workers in parallel, then commits. */
  private Map<Integer, Object[]> export(ExportTarget target, int copies) throws Exception {
    Map<Integer, Object[]> expected = new TreeMap<>();
    List<Object[]> all = new ArrayList<>();
    for (int c = 0; c < copies; c++) {
      for (Object[] row : rows) {
        Object[] copy = row.clone();
        copy[0] = (Integer) row[0] + 100 * c;
        all.add(copy);
        expected.put((Integer) copy[0], copy);
      }
    }
    try (OutputFormat out = open(target, mapping, mapping.properties(), "run1", Resume.NEW)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<List<WrittenFile>>> futures = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int worker = w;
        futures.add(pool.submit(() -> {
          SegmentWriter segment = out.newSegment(worker, 0);
          for (int i = worker; i < all.size(); i += 2) {
            segment.write(all.get(i));
          }
          return segment.finish();
        }));
      }
      List<WrittenFile> files = new ArrayList<>();
      for (Future<List<WrittenFile>> f : futures) {
        files.addAll(f.get());
      }
      pool.shutdown();
      assertThat(files.stream().mapToLong(WrittenFile::rows).sum()).isEqualTo(all.size());
      out.commit(files);
    }
    return expected;
  }

  private void assertSameRows(Map<Integer, Object[]> expected, List<Object[]> actual) {
    assertThat(actual).hasSize(expected.size());
    for (Object[] row : actual) {
      Object[] source = expected.get((Integer) row[0]);
      assertThat(source).as("unexpected key %s", row[0]).isNotNull();
      for (int i = 0; i < columns.size(); i++) {
        assertThat(row[i]).as("row %s column %s", row[0], columns.get(i).name()).isEqualTo(source[i]);
      }
    }
  }

  @Test
  void should_write_an_iceberg_table_in_one_commit_readable_by_the_generic_reader() throws Exception {
    Map<Integer, Object[]> expected =
        export(ExportTargets.iceberg(dir.resolve("wh"), "db.all_types")
            .withPartitionBy(PartitionField.day("c_timestamp")), 3);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(ExportTargets.iceberg(dir.resolve("wh"), "db.x"))) {
      Table table = opened.catalog().loadTable(TableIdentifier.parse("db.all_types"));
      assertThat(table.snapshots()).hasSize(1);
      assertThat(table.spec().fields()).hasSize(1);
      assertThat(table.properties()).containsEntry("ringsweep.cql.type.c_udt", "frozen<ks.person>")
          .containsEntry("write.parquet.compression-codec", "zstd");
      assertSameRows(expected, readIceberg(table));
    }
    assertThat(dir.resolve("wh").resolve(IcebergCatalogs.SQLITE_FILE)).exists();
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".crc"))).isEmpty();
    }
  }

  @Test
  void should_write_an_iceberg_table_through_a_hadoop_catalog() throws Exception {
    IcebergTarget target = ExportTargets.iceberg(dir.resolve("wh"), "db.t").withCatalogKind(CatalogKind.HADOOP)
        .withCompression(ParquetCompression.SNAPPY);
    Map<Integer, Object[]> expected = export(target, 1);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      Table table = opened.catalog().loadTable(target.table());
      assertThat(table.snapshots()).hasSize(1);
      assertSameRows(expected, readIceberg(table));
    }
  }

  @Test
  void should_append_by_default_and_overwrite_only_when_asked() throws Exception {
    IcebergTarget target = ExportTargets.iceberg(dir.resolve("wh"), "db.t");
    export(target, 1);
    export(target, 1);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      Table table = opened.catalog().loadTable(target.table());
      assertThat(readIceberg(table)).hasSize(2 * rows.size());
    }
    Map<Integer, Object[]> expected = export(target.withWriteMode(WriteMode.OVERWRITE), 1);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      Table table = opened.catalog().loadTable(target.table());
      assertThat(table.snapshots()).hasSize(3);
      assertSameRows(expected, readIceberg(table));
    }
  }

  @Test
  void should_write_an_iceberg_table_into_a_warehouse_whose_path_has_a_space() throws Exception {
    // The table's location is a URI (a space is %20 in it); its data files are forced to disk by the local path
    // Hadoop wrote them to.
    IcebergTarget target = ExportTargets.iceberg(dir.resolve("my warehouse"), "db.t");
    Map<Integer, Object[]> expected = export(target, 1);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      assertSameRows(expected, readIceberg(opened.catalog().loadTable(target.table())));
    }
  }

  @Test
  void should_know_a_runs_commit_after_its_snapshot_expired_by_the_tables_files() throws Exception {
    IcebergTarget target = ExportTargets.iceberg(dir.resolve("wh"), "db.t");
    export(target, 1); // run1's commit
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      Table table = opened.catalog().loadTable(target.table());
      table.newFastAppend().commit(); // a later snapshot, then run1's expires
      table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).cleanExpiredFiles(false)
          .commit();
      table.refresh();
      assertThat(table.snapshots()).hasSize(1);
      assertThat(table.currentSnapshot().summary()).doesNotContainKey(IcebergOutput.RUN_PROPERTY);
    }
    try (OutputFormat out = open(target, mapping, mapping.properties(), "run2", Resume.RESUME)) {
      assertThat(out.committed(List.of("run0", "run1"))).isTrue();
      assertThat(out.committed(List.of("run0", "run9"))).isFalse();
    }
  }

  @Test
  void should_leave_no_table_and_no_data_file_when_an_iceberg_export_is_aborted() throws Exception {
    IcebergTarget target = ExportTargets.iceberg(dir.resolve("wh"), "db.t");
    try (OutputFormat out = open(target, mapping, mapping.properties(), "run1", Resume.NEW)) {
      SegmentWriter segment = out.newSegment(0, 0);
      rows.forEach(segment::write);
      segment.abort();
    }
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      assertThat(opened.catalog().tableExists(target.table())).isFalse();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).isEmpty();
    }
  }

  @Test
  void should_reject_an_existing_table_with_other_columns() throws Exception {
    IcebergTarget target = ExportTargets.iceberg(dir.resolve("wh"), "db.t");
    export(target, 1);
    IcebergRowMapping other = IcebergRowMapping.of(columns.subList(0, 3));
    assertThatThrownBy(() -> open(target, other, Map.of(), "run2", Resume.NEW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Iceberg table db.t has columns [k int, c_ascii string,")
        .hasMessageEndingWith("the export writes [k int, c_ascii string, c_text string]");
  }

  @Test
  void should_write_parquet_files_readable_by_a_parquet_reader() throws Exception {
    Map<Integer, Object[]> expected = export(ExportTargets.parquet(dir.resolve("out")), 2);
    List<Object[]> actual = new ArrayList<>();
    for (Path file : dataFiles(dir.resolve("out"), ".parquet")) {
      try (ParquetFileReader footer =
          ParquetFileReader.open(new LocalInputFile(file))) {
        assertThat(footer.getFileMetaData().getKeyValueMetaData())
            .containsEntry("ringsweep.cql.type.c_vector", "vector<float, 3>");
        assertThat(footer.getRowGroups().get(0).getColumns().get(0).getCodec().name()).isEqualTo("ZSTD");
      }
      try (CloseableIterable<Record> in =
          Parquet.read(org.apache.iceberg.Files.localInput(file.toFile()))
              .project(mapping.schema())
              .createReaderFunc(s -> GenericParquetReaders.buildReader(mapping.schema(), s))
              .build()) {
        in.forEach(r -> actual.add(mapping.toCqlValues(r)));
      }
    }
    assertSameRows(expected, actual);
    assertThat(dir.resolve("out").resolve(DirectoryOutput.SCHEMA_FILE)).exists();
  }

  @Test
  void should_write_csv_readable_by_a_csv_parser_with_nulls_distinct_from_empty_strings() throws Exception {
    Map<Integer, Object[]> expected =
        export(ExportTarget.csv(dir.resolve("out")).withCompression(TextCompression.GZIP), 2);
    List<Object[]> actual = new ArrayList<>();
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
        .setQuoteMode(QuoteMode.ALL_NON_NULL).get();
    TextCodec[] codecs = columns.stream().map(c -> TextCodec.of(c.type())).toArray(TextCodec[]::new);
    for (Path file : dataFiles(dir.resolve("out"), ".csv.gz")) {
      try (Reader reader = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
          StandardCharsets.UTF_8);
          CSVParser parser = CSVParser.parse(reader, format)) {
        assertThat(parser.getHeaderNames()).isEqualTo(columns.stream().map(CqlColumn::name).toList());
        for (CSVRecord record : parser) {
          Object[] row = new Object[columns.size()];
          for (int i = 0; i < row.length; i++) {
            String cell = record.get(i);
            row[i] = cell == null ? null : codecs[i].fromText(cell);
          }
          actual.add(row);
        }
      }
    }
    assertSameRows(expected, actual);
  }

  @Test
  void should_write_json_lines_readable_by_a_json_parser() throws Exception {
    Map<Integer, Object[]> expected = export(ExportTarget.jsonLines(dir.resolve("out")), 2);
    ObjectMapper json = TextCodec.objectMapper();
    List<Object[]> actual = new ArrayList<>();
    for (Path file : dataFiles(dir.resolve("out"), ".jsonl")) {
      try (BufferedReader lines = Files.newBufferedReader(file)) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          JsonNode node = json.readTree(line);
          assertThat(node.size()).isEqualTo(columns.size());
          Object[] row = new Object[columns.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = TextCodec.of(columns.get(i).type()).read(node.get(columns.get(i).name()));
          }
          actual.add(row);
        }
      }
    }
    assertSameRows(expected, actual);
  }

  @Test
  void should_roll_files_at_the_target_size() throws Exception {
    Map<Integer, Object[]> expected =
        export(ExportTarget.jsonLines(dir.resolve("out")).withTargetFileSizeBytes(1024), 60);
    List<Path> files = dataFiles(dir.resolve("out"), ".jsonl");
    assertThat(files.size()).isGreaterThan(2);
    long lines = 0;
    for (Path file : files) {
      try (Stream<String> s = Files.lines(file)) {
        lines += s.count();
      }
    }
    assertThat(lines).isEqualTo(expected.size());
  }

  @Test
  void should_refuse_a_directory_that_is_not_empty_unless_resuming() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("other.txt"), "x");
    assertThatThrownBy(() -> open(ExportTarget.csv(out), mapping, Map.of(), "r", Resume.NEW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Export directory %s is not empty (choose an empty directory, or resume)", out);
    open(ExportTarget.csv(out), mapping, Map.of(), "r", Resume.RESUME).close();
  }

  private List<Object[]> readIceberg(Table table) throws IOException {
    List<Object[]> out = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(r -> out.add(mapping.toCqlValues(r)));
    }
    return out;
  }

  private static List<Path> dataFiles(Path directory, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> out = files.filter(p -> p.getFileName().toString().startsWith("part-")
          && p.toString().endsWith(suffix)).sorted().toList();
      assertThat(out).isNotEmpty();
      return out;
    }
  }

  private static OutputFormat open(ExportTarget target, IcebergRowMapping mapping, Map<String, String> properties,
      String runId, Resume resume) {
    return TargetFormats.of(target).open(mapping.columns(), properties, runId, resume == Resume.RESUME);
  }
}
