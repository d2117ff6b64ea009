package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestData;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The count behaviours every topology must show; subclasses pick the cluster and the keyspace's replication.
 * Every expected count is the number of distinct rows the test itself wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CountContract {

  /** 0.1% of the ring, in tokens. */
  private static final long TENTH_OF_A_PERCENT =
      BigInteger.TWO.pow(64).divide(BigInteger.valueOf(1000)).longValueExact();

  protected CqlSession session;
  protected String keyspace;

  /** The cluster under test. */
  protected abstract TestCluster cluster();

  /** The keyspace's name (unique per subclass). */
  protected abstract String keyspaceName();

  /** The replication map of the keyspace, as CQL. */
  protected abstract String replication();

  @BeforeAll
  void createKeyspace() {
    session = cluster().newSession();
    keyspace = keyspaceName();
    cluster().createKeyspace(session, keyspace, replication());
  }

  @AfterAll
  void closeSession() {
    if (session != null) {
      session.close();
    }
  }

  protected TokenAwareBulkOperator operator() {
    return TokenAwareBulkOperator.builder(session).build();
  }

  /** Creates {@code table(id bigint PRIMARY KEY, v text)} and writes {@code rows} rows into it. */
  protected void simpleTable(String table, long rows) {
    execute("CREATE TABLE " + keyspace + "." + table + " (id bigint PRIMARY KEY, v text)");
    TestData.insert(
        session, "INSERT INTO " + keyspace + "." + table + " (id, v) VALUES (?, ?)", rows,
        i -> new Object[] {i, "value-" + i});
  }

  protected void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  @Test
  void should_count_25k_rows_exactly_and_account_for_every_range() {
    simpleTable("twenty_five_k", 25_000);
    TokenAwareBulkOperator operator = operator();
    CountResult result = operator.count(keyspace, "twenty_five_k");

    assertThat(result.rows()).isEqualTo(25_000);
    assertThat(result.isComplete()).isTrue();
    assertThat(result.rangesDone()).isEqualTo(operator.plan(keyspace).pieceCount());
    assertThat(result.hosts().values().stream().mapToLong(HostStats::rows).sum()).isEqualTo(25_000);
  }

  @Test
  void should_count_composite_partition_key_with_clustering_columns() {
    execute(
        "CREATE TABLE " + keyspace + ".composite (tenant int, region text, seq int, payload text, "
            + "PRIMARY KEY ((tenant, region), seq))");
    // 600 partitions of 7 rows each.
    TestData.insert(
        session, "INSERT INTO " + keyspace + ".composite (tenant, region, seq, payload) VALUES (?, ?, ?, ?)",
        4_200, i -> new Object[] {(int) (i / 7 / 3), "r" + (i / 7 % 3), (int) (i % 7), "p" + i});

    assertThat(operator().count(keyspace, "composite").rows()).isEqualTo(4_200);
  }

  @Test
  void should_count_keys_whose_tokens_lie_at_both_ends_of_the_ring() {
    execute("CREATE TABLE " + keyspace + ".ring_ends (id bigint PRIMARY KEY, v text)");
    List<Long> keys = new ArrayList<>();
    keys.addAll(
        TestData.bigintKeysWithTokensIn(session, Long.MIN_VALUE, Long.MIN_VALUE + TENTH_OF_A_PERCENT, 100, 0));
    keys.addAll(
        TestData.bigintKeysWithTokensIn(session, Long.MAX_VALUE - TENTH_OF_A_PERCENT, Long.MAX_VALUE, 100, 0));
    assertThat(keys).doesNotHaveDuplicates().hasSize(200);
    TestData.insert(
        session, "INSERT INTO " + keyspace + ".ring_ends (id, v) VALUES (?, ?)", keys.size(),
        i -> new Object[] {keys.get((int) i), "edge"});

    assertThat(operator().count(keyspace, "ring_ends").rows()).isEqualTo(200);
    // Many small pieces put range boundaries right next to these keys.
    assertThat(TokenAwareBulkOperator.builder(session).splitCount(5_000).build().count(keyspace, "ring_ends").rows())
        .isEqualTo(200);
  }

  @Test
  void should_count_an_empty_table_as_zero() {
    execute("CREATE TABLE " + keyspace + ".empty (id bigint PRIMARY KEY, v text)");
    CountResult result = operator().count(keyspace, "empty");
    assertThat(result.rows()).isZero();
    assertThat(result.isComplete()).isTrue();
  }

  @Test
  void should_count_a_table_of_one_partition() {
    execute("CREATE TABLE " + keyspace + ".one_partition (pk int, ck int, v text, PRIMARY KEY (pk, ck))");
    TestData.insert(
        session, "INSERT INTO " + keyspace + ".one_partition (pk, ck, v) VALUES (?, ?, ?)", 3_000,
        i -> new Object[] {42, (int) i, "v"});
    assertThat(operator().count(keyspace, "one_partition").rows()).isEqualTo(3_000);
  }

  @Test
  void should_agree_with_select_count_star_on_a_small_table() {
    simpleTable("small", 4_321);
    long server =
        session
            .execute(
                SimpleStatement.newInstance("SELECT count(*) FROM " + keyspace + ".small")
                    .setTimeout(Duration.ofSeconds(60)))
            .one()
            .getLong(0);
    assertThat(server).isEqualTo(4_321);
    assertThat(operator().count(keyspace, "small").rows()).isEqualTo(server);
  }

  @Test
  void should_count_quoted_mixed_case_names_and_reserved_words() {
    execute("CREATE TABLE " + keyspace + ".\"MixedCase\" (\"select\" bigint PRIMARY KEY, \"Value\" text)");
    TestData.insert(
        session, "INSERT INTO " + keyspace + ".\"MixedCase\" (\"select\", \"Value\") VALUES (?, ?)", 1_234,
        i -> new Object[] {i, "x"});
    assertThat(operator().count(keyspace, "\"MixedCase\"").rows()).isEqualTo(1_234);
    assertThatThrownBy(() -> operator().count(keyspace, "MixedCase"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown table: " + keyspace + ".mixedcase")
        .hasMessageContaining("\"MixedCase\"");
  }

  @Test
  void should_report_progress_until_every_range_is_done() {
    simpleTable("progress", 2_000);
    List<Progress> seen = new CopyOnWriteArrayList<>();
    CountResult result =
        TokenAwareBulkOperator.builder(session).progressListener(seen::add).build().count(keyspace, "progress");

    assertThat(seen).hasSize(result.rangesTotal());
    Progress last = seen.get(seen.size() - 1);
    assertThat(last.rangesDone()).isEqualTo(last.rangesTotal());
    assertThat(last.rows()).isEqualTo(2_000);
    assertThat(seen).extracting(Progress::rangesDone).isSorted();
  }

  @Test
  void should_name_an_unknown_keyspace_and_list_the_known_ones() {
    assertThatThrownBy(() -> operator().count("no_such_keyspace", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown keyspace: no_such_keyspace")
        .hasMessageContaining(keyspace);
  }

  @Test
  void should_name_an_unknown_table_and_list_the_keyspace_tables() {
    execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".known (id int PRIMARY KEY)");
    assertThatThrownBy(() -> operator().count(keyspace, "no_such_table"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown table: " + keyspace + ".no_such_table")
        .hasMessageContaining("known");
  }
}
