package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Round trips of 10,000 rows of every type through Iceberg and Parquet into 3 nodes (256 vnodes each, two data
 * centers) with 3 replicas: export, import into a new table, verify by count and checksum, compare every value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportMultiNodeIT {

  private static final String KS = "import_multi";
  private static final int ROWS = 10_000;

  private CqlSession session;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.multi();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS);
    ImportTables.createUdts(session, KS);
    ImportTables.createAllTypes(session, KS, "all_types");
    // Every node must know the table before the insert is prepared on them all: the test before may have just
    // restarted a node, which then takes longer than the driver's wait for schema agreement.
    TestCluster.awaitSchemaOnAllNodes(session, KS, "all_types");
    var ks = session.getMetadata().getKeyspace(KS).orElseThrow();
    UserDefinedType address = ks.getUserDefinedType("address").orElseThrow();
    UserDefinedType person = ks.getUserDefinedType("person").orElseThrow();
    List<Object[]> templates = AllTypes.rows(address, person, AllTypes.tupleType());
    String names = AllTypes.COLUMNS_CQL.stream().map(c -> c[0]).collect(Collectors.joining(", "));
    String marks = AllTypes.COLUMNS_CQL.stream().map(c -> "?").collect(Collectors.joining(", "));
    PreparedStatement insert = session.prepare("INSERT INTO " + KS + ".all_types (" + names + ") VALUES (" + marks
        + ")");
    // ALL: every replica holds every source row, so the LOCAL_ONE export reads them all whichever replica answers.
    TestData.write(session, ROWS, i -> insert.bind(row(templates.get((int) (i % templates.size())), (int) i))
        .setConsistencyLevel(DefaultConsistencyLevel.ALL));
  }

  /** A template row of {@link AllTypes} made distinct: key {@code i}, and a few values varied by {@code i}. */
  private static Object[] row(Object[] template, int i) {
    Object[] row = template.clone();
    row[0] = i;
    if (row[2] != null) {
      row[2] = row[2] + "#" + i;
    }
    if (row[6] != null) {
      row[6] = (Integer) row[6] ^ i;
    }
    if (row[7] != null) {
      row[7] = (Long) row[7] ^ ((long) i << 20);
    }
    if (row[8] != null) {
      row[8] = ((BigInteger) row[8]).add(BigInteger.valueOf(i));
    }
    if (row[14] != null) {
      row[14] = new UUID(i, ~i);
    }
    return row;
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void roundTrip(String name, ExportTarget target, Function<Path, ImportSource> source, Path where) {
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
    assertThat(operator.export(KS, "all_types", target, ExportOptions.defaults().withWriters(3)).rows())
        .isEqualTo(ROWS);
    ImportTables.createAllTypes(session, KS, name);
    List<LimitChange> changes = new CopyOnWriteArrayList<>();
    TokenAwareBulkOperator importer = TokenAwareBulkOperator.builder(session).progressListener(new ProgressListener() {
      @Override
      public void onProgress(Progress progress) {}

      @Override
      public void onLimitChanged(LimitChange change) {
        changes.add(change);
      }
    }).build();
    ImportResult result = importer.importFrom(source.apply(where), KS, name,
        ImportOptions.defaults().withReaders(3).withVerification(Verification.COUNT_AND_CHECKSUM));
    // The default adaptive ceiling is 64 per node of the local data center (dc1: 2 of the 3 nodes), announced once,
    // and no replica set's limit went above it.
    long localNodes = session.getMetadata().getNodes().values().stream()
        .filter(node -> node.getDistance() == NodeDistance.LOCAL).count();
    assertThat(localNodes).isEqualTo(2);
    // The verification's reads report their limits too, after the writes', each start naming its read.
    List<LimitChange> writes = dev.ringsweep.LimitChanges.writes(changes);
    assertThat(writes).filteredOn(c -> c.scope().equals(LimitChange.ALL))
        .singleElement().satisfies(c -> assertThat(c.limit()).isEqualTo(64 * 2));
    assertThat(writes).filteredOn(LimitChange::isPerReplicaSet).isNotEmpty()
        .allSatisfy(c -> assertThat(c.limit()).isBetween(1, 64 * 2));
    assertThat(changes).as("the verification's limit starts: %s", changes)
        .filteredOn(c -> c.cause() == LimitChange.Cause.START
            && c.detail().contains(dev.ringsweep.LimitChanges.VERIFICATION))
        .anySatisfy(c -> assertThat(c.detail()).endsWith(" (import verification: checksum of the target)"));
    assertThat(result.rowsRead()).isEqualTo(ROWS);
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.failed()).isZero();
    VerificationResult v = result.verification();
    assertThat(v.matches()).as(v.describe()).isTrue();
    assertThat(v.sourceRows()).isEqualTo(ROWS);
    assertThat(v.targetRowsAfter()).isEqualTo(ROWS);
    assertThat(v.sourceChecksum()).isEqualTo(v.targetChecksum());
    assertThat(result.batchMetrics().statements()).isEqualTo(ROWS);
    ImportTables.assertSameRows(session, KS, "all_types", name);
  }

  @Test
  void should_store_each_row_on_three_replicas() {
    TokenMap tokens = session.getMetadata().getTokenMap().orElseThrow();
    assertThat(session.getMetadata().getNodes()).hasSize(3);
    assertThat(tokens.getReplicas(KS, tokens.newToken(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 1}))))
        .hasSize(3);
  }

  @Test
  void should_round_trip_10k_rows_of_every_type_through_iceberg_into_three_replicas() {
    Path wh = dir.resolve("wh");
    roundTrip("from_iceberg", ExportTargets.iceberg(wh, "db.all_types"),
        p -> ImportSources.iceberg(p, "db.all_types"), wh);
  }

  @Test
  void should_round_trip_10k_rows_of_every_type_through_parquet_into_three_replicas() {
    Path out = dir.resolve("parquet");
    roundTrip("from_parquet", ExportTargets.parquet(out).withTargetFileSizeBytes(4L * 1024 * 1024),
        ImportSources::parquet, out);
  }
}
