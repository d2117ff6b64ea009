package dev.ringsweep.imports;

import static dev.ringsweep.imports.ImportTables.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import of a Parquet file or Iceberg data file with 4 KB overwritten in the middle (a corrupt page) fails naming
 * the file, and writes no garbage: every row in the target equals its source row. Export writes page checksums;
 * import verifies them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportCorruptionIT {

  private static final String KS = "import_corruption_it";
  private static final int ROWS = 20_000;

  private CqlSession session;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    execute(session, "CREATE TABLE " + KS + ".src (id bigint PRIMARY KEY, ids set<uuid>, v text)");
    Random random = new Random(7);
    TestData.insert(session, "INSERT INTO " + KS + ".src (id, ids, v) VALUES (?, ?, ?)", ROWS,
        i -> new Object[] {i, Set.of(new UUID(random.nextLong(), i), new UUID(i, random.nextLong())),
            "value-" + i});
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

  /** Overwrites 4 KB in the middle of the largest {@code .parquet} file under {@code root}, and returns it. */
  private static Path corruptLargestDataFile(Path root) throws IOException {
    Path file;
    try (Stream<Path> files = Files.walk(root)) {
      file = files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
    }
    byte[] garbage = new byte[4096];
    new Random(11).nextBytes(garbage);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length() / 2);
      raf.write(garbage);
    }
    return file;
  }

  /** Asserts that every row the target holds is its source row, value for value. */
  private void assertNoGarbage(String target) {
    Map<Long, Row> source = new HashMap<>();
    for (Row row : session.execute("SELECT id, ids, v FROM " + KS + ".src")) {
      source.put(row.getLong(0), row);
    }
    for (Row row : session.execute("SELECT id, ids, v FROM " + KS + "." + target)) {
      Row original = source.get(row.getLong(0));
      assertThat(original).as("row %s is not a source row", row.getLong(0)).isNotNull();
      assertThat(row.getSet(1, UUID.class)).as("ids of row %s", row.getLong(0))
          .isEqualTo(original.getSet(1, UUID.class));
      assertThat(row.getString(2)).as("v of row %s", row.getLong(0)).isEqualTo(original.getString(2));
    }
  }

  private void copyTable(String name) {
    execute(session, "CREATE TABLE " + KS + "." + name + " (id bigint PRIMARY KEY, ids set<uuid>, v text)");
    session.refreshSchema();
  }

  @Test
  void should_fail_naming_a_corrupt_parquet_file_and_write_no_garbage() throws IOException {
    Path out = dir.resolve("parquet");
    operator().export(KS, "src", ExportTarget.parquet(out));
    Path corrupt = corruptLargestDataFile(out);
    copyTable("from_parquet");

    Throwable failure = catchThrowable(
        () -> operator().importFrom(ImportSource.parquet(out), KS, "from_parquet"));

    assertThat(failure).as("the import of a corrupt file must fail").isNotNull();
    assertThat(failure).hasMessageContaining(corrupt.getFileName().toString());
    assertNoGarbage("from_parquet");
  }

  @Test
  void should_fail_naming_a_corrupt_iceberg_data_file_and_write_no_garbage() throws IOException {
    Path warehouse = dir.resolve("wh");
    operator().export(KS, "src", ExportTarget.iceberg(warehouse, "db.src"));
    Path corrupt = corruptLargestDataFile(warehouse);
    copyTable("from_iceberg");

    Throwable failure = catchThrowable(
        () -> operator().importFrom(ImportSource.iceberg(warehouse, "db.src"), KS, "from_iceberg"));

    assertThat(failure).as("the import of a corrupt data file must fail").isNotNull();
    assertThat(failure).hasMessageContaining(corrupt.getFileName().toString());
    assertNoGarbage("from_iceberg");
  }

  @Test
  void should_import_the_same_files_exactly_when_they_are_intact() {
    Path out = dir.resolve("intact");
    operator().export(KS, "src", ExportTarget.parquet(out));
    copyTable("intact");

    assertThat(operator().importFrom(ImportSource.parquet(out), KS, "intact").rows()).isEqualTo(ROWS);
    assertThat(List.of(session.execute("SELECT count(*) FROM " + KS + ".intact").one().getLong(0)))
        .containsExactly((long) ROWS);
    assertNoGarbage("intact");
  }
}
