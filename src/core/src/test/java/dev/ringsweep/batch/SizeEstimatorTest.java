package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizeEstimatorTest {

  private final SizeEstimator estimator = new SizeEstimator(CodecRegistry.DEFAULT, ProtocolVersion.DEFAULT);

  @Test
  void should_count_the_query_text_and_overhead_of_a_statement_without_values() {
    String query = "INSERT INTO ks.t (k, v) VALUES (1, 'é')";
    int textBytes = query.getBytes(StandardCharsets.UTF_8).length;
    assertThat(estimator.estimate(SimpleStatement.newInstance(query)))
        .isEqualTo(SizeEstimator.STATEMENT_OVERHEAD + textBytes);
  }

  @Test
  void should_count_encoded_values_with_their_overhead() {
    String query = "INSERT INTO ks.t (k, v, b) VALUES (?, ?, ?)";
    SimpleStatement statement = SimpleStatement.newInstance(query, 7, "hello", ByteBuffer.allocate(1000));
    long expected = SizeEstimator.STATEMENT_OVERHEAD + query.length()
        + 3L * SizeEstimator.VALUE_OVERHEAD + 4 /* int */ + 5 /* text */ + 1000 /* blob */;
    assertThat(estimator.estimate(statement)).isEqualTo(expected);
  }

  @Test
  void should_count_named_values_and_nulls() {
    String query = "INSERT INTO ks.t (k, v) VALUES (:k, :v)";
    SimpleStatement statement = SimpleStatement.newInstance(query, Map.of("k", 1L, "v", "abc"));
    assertThat(estimator.estimate(statement))
        .isEqualTo(SizeEstimator.STATEMENT_OVERHEAD + query.length() + 2L * SizeEstimator.VALUE_OVERHEAD + 8 + 3);
    SimpleStatement withNull = SimpleStatement.newInstance("UPDATE ks.t SET v = ? WHERE k = 1", (Object) null);
    assertThat(estimator.estimate(withNull)).isEqualTo(SizeEstimator.STATEMENT_OVERHEAD
        + "UPDATE ks.t SET v = ? WHERE k = 1".length() + SizeEstimator.VALUE_OVERHEAD);
  }

  @Test
  void should_grow_with_the_values() {
    String query = "INSERT INTO ks.t (k, v) VALUES (?, ?)";
    long small = estimator.estimate(SimpleStatement.newInstance(query, 1, "x".repeat(10)));
    long large = estimator.estimate(SimpleStatement.newInstance(query, 1, "x".repeat(10_000)));
    assertThat(large - small).isEqualTo(9_990);
  }

  @Test
  void should_count_each_element_of_a_collection_as_a_cell() {
    String query = "INSERT INTO ks.t (k, v) VALUES (?, ?)";
    long list = estimator.estimate(SimpleStatement.newInstance(query, 1, List.of(1, 2, 3)));
    long serializedList = 4 + 3 * (4 + 4); // element count, then each element's length and value
    assertThat(list).isEqualTo(SizeEstimator.STATEMENT_OVERHEAD + query.length() + 2L * SizeEstimator.VALUE_OVERHEAD
        + 4 + serializedList + 3L * SizeEstimator.ELEMENT_OVERHEAD);
  }
  @Test
  void should_read_the_element_count_of_serialized_collections_and_of_nothing_else() {
    ByteBuffer three = ByteBuffer.allocate(8).putInt(0, 3);
    assertThat(SizeEstimator.elements(DataTypes.listOf(DataTypes.INT), three)).isEqualTo(3);
    assertThat(SizeEstimator.elements(DataTypes.setOf(DataTypes.TEXT), three)).isEqualTo(3);
    assertThat(SizeEstimator.elements(DataTypes.mapOf(DataTypes.TEXT, DataTypes.INT), three)).isEqualTo(3);
    assertThat(SizeEstimator.elements(DataTypes.frozenListOf(DataTypes.INT), three)).isEqualTo(3);
    assertThat(SizeEstimator.elements(DataTypes.INT, three)).isZero();
    assertThat(SizeEstimator.elements(DataTypes.tupleOf(DataTypes.INT), three)).isZero();
    assertThat(SizeEstimator.elements(DataTypes.vectorOf(DataTypes.FLOAT, 3), three)).isZero();
    assertThat(SizeEstimator.elements(DataTypes.listOf(DataTypes.INT), null)).isZero();
  }
}
