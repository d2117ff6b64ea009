package dev.ringsweep.imports;

import static dev.ringsweep.imports.ImportTables.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Exported Parquet files damaged on disk (4 KiB overwritten in the middle of a data file, or in its footer): the
 * import fails naming the file, and what it did write is exactly the source's rows (no garbage value).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorruptSourceIT {

  private static final String KS = "corrupt_source_it";
  private static final String COLUMNS = "k int PRIMARY KEY, ids set<uuid>, names list<text>, v bigint";
  private static final int ROWS = 20_000;

  private CqlSession session;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    execute(session, "CREATE TABLE " + KS + ".src (" + COLUMNS + ")");
    session.refreshSchema();
    TestData.insert(session, "INSERT INTO " + KS + ".src (k, ids, names, v) VALUES (?, ?, ?, ?)", ROWS, i -> {
      Random random = new Random(i);
      Set<UUID> ids = new java.util.HashSet<>();
      for (int j = 0; j < 5; j++) {
        ids.add(new UUID(random.nextLong(), random.nextLong()));
      }
      return new Object[] {(int) i, ids, List.of("n" + i, "m" + (i * 7)), random.nextLong()};
    });
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private TokenAwareBulkOperator operator() {
    return TokenAwareBulkOperator.builder(session).build();
  }

  private void target(String name) {
    execute(session, "CREATE TABLE " + KS + "." + name + " (" + COLUMNS + ")");
    session.refreshSchema();
  }

  /** The data files under {@code root} (an export directory or an Iceberg warehouse), largest first. */
  private static List<Path> dataFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .sorted((a, b) -> Long.compare(b.toFile().length(), a.toFile().length())).toList();
    }
  }

  /** Overwrites 4 KiB of {@code file} at {@code offset} with pseudo-random bytes. */
  private static void overwrite(Path file, long offset) throws IOException {
    byte[] garbage = new byte[4096];
    new Random(17).nextBytes(garbage);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(offset);
      raf.write(garbage);
    }
  }

  /** Every page header of every column chunk of {@code file}: all must carry a CRC. */
  private static void assertEveryPageHasAChecksum(Path file) throws IOException {
    List<BlockMetaData> blocks;
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      blocks = reader.getFooter().getBlocks();
    }
    byte[] bytes = Files.readAllBytes(file);
    int pages = 0;
    for (BlockMetaData block : blocks) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        long pos = chunk.getStartingPos();
        long end = pos + chunk.getTotalSize();
        while (pos < end) {
          ByteArrayInputStream in = new ByteArrayInputStream(bytes, (int) pos, (int) (end - pos));
          int before = in.available();
          PageHeader header = Util.readPageHeader(in);
          assertThat(header.isSetCrc()).as("page at %s of column %s in %s has a CRC", pos, chunk.getPath(), file)
              .isTrue();
          pos += (before - in.available()) + header.getCompressed_page_size();
          pages++;
        }
      }
    }
    assertThat(pages).as("pages of %s", file).isPositive();
  }

  /** Every row of {@code table} is the source's row with that key, value for value. */
  private void assertOnlySourceRows(String table) {
    Map<List<Object>, List<Object>> source = ImportTables.rows(session, KS, "src");
    Map<List<Object>, List<Object>> written = ImportTables.rows(session, KS, table);
    List<List<Object>> garbage = new ArrayList<>();
    written.forEach((key, row) -> {
      if (!row.equals(source.get(key))) {
        garbage.add(row);
      }
    });
    assertThat(garbage).as("rows of %s unlike the source's (%s rows written)", table, written.size()).isEmpty();
  }

  @Test
  void should_write_a_checksum_in_every_page_of_parquet_and_iceberg_exports() throws IOException {
    Path out = dir.resolve("checksums-parquet");
    operator().export(KS, "src", ExportTargets.parquet(out));
    Path wh = dir.resolve("checksums-iceberg");
    operator().export(KS, "src", ExportTargets.iceberg(wh, "db.src"));
    List<Path> files = new ArrayList<>(dataFiles(out));
    files.addAll(dataFiles(wh));
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    for (Path file : files) {
      assertEveryPageHasAChecksum(file);
    }
  }

  @Test
  void should_fail_naming_the_file_and_write_no_garbage_when_a_parquet_page_is_corrupt() throws IOException {
    Path out = dir.resolve("pages");
    operator().export(KS, "src", ExportTargets.parquet(out));
    Path file = dataFiles(out).get(0);
    overwrite(file, Files.size(file) / 2);
    target("from_corrupt_page");

    Throwable failure = catchThrowable(() -> operator().importFrom(ImportSources.parquet(out), KS, "from_corrupt_page"));

    assertThat(failure).as("import of a corrupt file").isNotNull();
    assertThat(failure.getMessage()).contains(file.toString()).containsIgnoringCase("checksum");
    assertOnlySourceRows("from_corrupt_page");
  }

  @Test
  void should_fail_naming_the_file_and_write_nothing_when_a_parquet_footer_is_corrupt() throws IOException {
    Path out = dir.resolve("footer");
    operator().export(KS, "src", ExportTargets.parquet(out));
    Path file = dataFiles(out).get(0);
    // The footer sits before the last 8 bytes (its length and the magic); overwrite its end.
    overwrite(file, Files.size(file) - 8 - 4096);
    target("from_corrupt_footer");

    Throwable failure =
        catchThrowable(() -> operator().importFrom(ImportSources.parquet(out), KS, "from_corrupt_footer"));

    assertThat(failure).as("import of a corrupt file").isNotNull();
    assertThat(failure.getMessage()).contains(file.toString()).contains("footer");
    assertOnlySourceRows("from_corrupt_footer");
  }

  @Test
  void should_fail_naming_the_file_and_write_no_garbage_when_an_iceberg_data_file_is_corrupt() throws IOException {
    Path wh = dir.resolve("iceberg");
    operator().export(KS, "src", ExportTargets.iceberg(wh, "db.src"));
    Path file = dataFiles(wh).get(0);
    overwrite(file, Files.size(file) / 2);
    target("from_corrupt_iceberg");

    Throwable failure =
        catchThrowable(() -> operator().importFrom(ImportSources.iceberg(wh, "db.src"), KS, "from_corrupt_iceberg"));

    assertThat(failure).as("import of a corrupt file").isNotNull();
    assertThat(failure.getMessage()).contains(file.getFileName().toString()).containsIgnoringCase("checksum");
    assertOnlySourceRows("from_corrupt_iceberg");
  }
}
