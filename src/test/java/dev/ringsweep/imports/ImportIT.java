package dev.ringsweep.imports;

import static dev.ringsweep.imports.ImportTables.execute;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.TextCompression;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Import round trips against a real single-node cluster: export, import into a new table, compare every value. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportIT {

  private static final String KS = "import_it";

  private CqlSession session;
  private int allTypesRows;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    ImportTables.createUdts(session, KS);
    ImportTables.createAllTypes(session, KS, "all_types");
    allTypesRows = ImportTables.insertAllTypes(session, KS, "all_types");
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

  private void roundTrip(String name, ExportTarget target, Function<Path, ImportSource> source, Path where) {
    operator().export(KS, "all_types", target);
    ImportTables.createAllTypes(session, KS, name);
    ImportResult result = operator().importFrom(source.apply(where), KS, name,
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));
    assertThat(result.rowsRead()).isEqualTo(allTypesRows);
    assertThat(result.rows()).isEqualTo(allTypesRows);
    assertThat(result.failed()).isZero();
    assertThat(result.badRecordsFile()).isNull();
    VerificationResult v = result.verification();
    assertThat(v.matches()).as(v.describe()).isTrue();
    assertThat(v.targetRowsBefore()).isZero();
    assertThat(v.targetRowsAfter()).isEqualTo(allTypesRows);
    assertThat(v.sourceChecksum()).isNotNull().isEqualTo(v.targetChecksum());
    assertThat(result.batchMetrics().statements()).isEqualTo(allTypesRows);
    ImportTables.assertSameRows(session, KS, "all_types", name);
  }

  @Test
  void should_round_trip_every_type_through_iceberg() {
    Path wh = dir.resolve("wh");
    roundTrip("from_iceberg", ExportTarget.iceberg(wh, "db.all_types"),
        p -> ImportSource.iceberg(p, "db.all_types"), wh);
  }

  @Test
  void should_round_trip_every_type_through_parquet() {
    Path out = dir.resolve("parquet");
    roundTrip("from_parquet", ExportTarget.parquet(out), ImportSource::parquet, out);
  }

  @Test
  void should_round_trip_every_type_through_gzipped_csv() {
    Path out = dir.resolve("csv");
    roundTrip("from_csv", ExportTarget.csv(out).withCompression(TextCompression.GZIP), ImportSource::csv, out);
  }

  @Test
  void should_round_trip_every_type_through_json_lines() {
    Path out = dir.resolve("jsonl");
    roundTrip("from_jsonl", ExportTarget.jsonLines(out), ImportSource::jsonLines, out);
  }
}
