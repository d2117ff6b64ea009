package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.batch.StatementClassifier.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatementClassifierTest {

  /** A schema that knows ks.counts (a counter table) and ks.rows, and records which tables were looked up. */
  private final List<String> lookups = new ArrayList<>();
  private final StatementClassifier classifier = new StatementClassifier((keyspace, table) -> {
    lookups.add(keyspace.asInternal() + "." + table.asInternal());
    if (!keyspace.asInternal().equals("ks")) {
      return Optional.empty();
    }
    switch (table.asInternal()) {
      case "counts":
      case "Counts":
        return Optional.of(true);
      case "rows":
        return Optional.of(false);
      default:
        return Optional.empty();
    }
  }, CqlIdentifier.fromCql("ks"));

  private Kind classify(String query) {
    return classifier.classify(SimpleStatement.newInstance(query));
  }

  @Test
  void should_classify_plain_writes() {
    assertThat(classify("INSERT INTO ks.rows (k, v) VALUES (1, 2)")).isEqualTo(Kind.WRITE);
    assertThat(classify("  update rows SET v = 3 WHERE k = 1")).isEqualTo(Kind.WRITE);
    assertThat(classify("DELETE v FROM ks.rows WHERE k = 1")).isEqualTo(Kind.WRITE);
  }

  @Test
  void should_classify_updates_of_a_counter_table_as_counter_writes() {
    assertThat(classify("UPDATE ks.counts SET n = n + 1 WHERE k = 1")).isEqualTo(Kind.COUNTER_WRITE);
    assertThat(classify("UPDATE counts SET n = n - ? WHERE k = ?")).isEqualTo(Kind.COUNTER_WRITE);
    assertThat(classify("UPDATE \"ks\".\"Counts\" SET n = n + 1 WHERE k = 1")).isEqualTo(Kind.COUNTER_WRITE);
    assertThat(lookups).contains("ks.counts", "ks.Counts");
  }

  @Test
  void should_recognise_a_counter_update_by_its_shape_when_the_schema_does_not_know_the_table() {
    assertThat(classify("UPDATE other.c SET hits = hits + 1 WHERE k = 1")).isEqualTo(Kind.COUNTER_WRITE);
    assertThat(classify("UPDATE other.t SET v = 1 WHERE k = 1")).isEqualTo(Kind.WRITE);
  }

  @Test
  void should_classify_reads_conditional_writes_and_other_statements_as_not_batchable() {
    assertThat(classify("SELECT * FROM ks.rows")).isEqualTo(Kind.NOT_BATCHABLE);
    assertThat(classify("INSERT INTO ks.rows (k, v) VALUES (1, 2) IF NOT EXISTS")).isEqualTo(Kind.NOT_BATCHABLE);
    assertThat(classify("UPDATE ks.rows SET v = 2 WHERE k = 1 IF v = 1")).isEqualTo(Kind.NOT_BATCHABLE);
    assertThat(classify("BEGIN BATCH INSERT INTO ks.rows (k) VALUES (1); APPLY BATCH")).isEqualTo(Kind.NOT_BATCHABLE);
    assertThat(classify("TRUNCATE ks.rows")).isEqualTo(Kind.NOT_BATCHABLE);
  }

  @Test
  void should_not_take_if_inside_a_literal_or_a_quoted_name_for_a_condition() {
    assertThat(classify("INSERT INTO ks.rows (k, v) VALUES (1, 'what IF not')")).isEqualTo(Kind.WRITE);
    assertThat(classify("UPDATE ks.rows SET \"if\" = 1 WHERE k = 1")).isEqualTo(Kind.WRITE);
  }

  @Test
  void should_cache_only_what_the_schema_answered() {
    classify("UPDATE ks.counts SET n = n + 1 WHERE k = 1");
    classify("UPDATE ks.counts SET n = n + 1 WHERE k = 1");
    classify("UPDATE ks.unknown SET v = 1 WHERE k = 1");
    classify("UPDATE ks.unknown SET v = 1 WHERE k = 1");
    assertThat(lookups).containsExactly("ks.counts", "ks.unknown", "ks.unknown");
  }
}
