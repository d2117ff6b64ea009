package dev.ringsweep.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/** Export on 3 nodes with 256 vnodes each (two data centers): every row exactly once, in Iceberg and Parquet. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportMultiNodeIT {

  private static final String KS = "export_multi";
  private static final int ROWS = 15_000;

  private CqlSession session;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.multi();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS);
    session.execute(SimpleStatement.newInstance(
        "CREATE TABLE " + KS + ".t (id bigint, c int, v text, PRIMARY KEY (id, c))").setTimeout(Duration.ofSeconds(60)));
    TestData.insert(session, "INSERT INTO " + KS + ".t (id, c, v) VALUES (?, ?, ?)", ROWS,
        i -> new Object[] {i / 3, (int) (i % 3), "v" + i});
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void assertExactlySource(List<Object[]> exported) {
    Map<List<Object>, String> source = new HashMap<>();
    for (Row r : session.execute(SimpleStatement.newInstance("SELECT id, c, v FROM " + KS + ".t")
        .setTimeout(Duration.ofSeconds(60)))) {
      source.put(List.of(r.getLong(0), r.getInt(1)), r.getString(2));
    }
    assertThat(source).hasSize(ROWS);
    assertThat(exported).hasSize(ROWS);
    for (Object[] row : exported) {
      String v = source.remove(List.of(row[0], row[1]));
      assertThat(v).as("unexpected or duplicate row %s/%s", row[0], row[1]).isEqualTo(row[2]);
    }
    assertThat(source).isEmpty();
  }

  private List<CqlColumn> columns() {
    return session.getMetadata().getKeyspace(KS).orElseThrow().getTable("t").orElseThrow().getColumns().values()
        .stream().map(c -> new CqlColumn(c.getName().asInternal(), c.getType())).toList();
  }

  @Test
  void should_export_every_row_once_over_256_vnodes_on_3_nodes() {
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
    assertThat(operator.plan(KS).pieceCount()).isGreaterThanOrEqualTo(3 * 256);
    ExportResult iceberg = operator.export(KS, "t", ExportTargets.iceberg(dir.resolve("wh"), "db.t"),
        ExportOptions.defaults().withWriters(3));
    assertThat(iceberg.rows()).isEqualTo(ROWS);
    assertExactlySource(ExportReaders.iceberg(dir.resolve("wh"), "db.t", columns()));

    ExportResult parquet = operator.export(KS, "t", ExportTargets.parquet(dir.resolve("p")));
    assertThat(parquet.rows()).isEqualTo(ROWS);
    assertExactlySource(ExportReaders.parquet(dir.resolve("p"), columns()));
  }
}
