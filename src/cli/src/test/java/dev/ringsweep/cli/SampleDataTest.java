package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sample rows are a pure function of their number, with distinct primary keys and some nulls. */
class SampleDataTest {

  @Test
  void should_give_a_value_for_every_column() {
    assertThat(SampleData.values(0)).hasSize(SampleData.COLUMNS.size());
  }

  @Test
  void should_give_distinct_primary_keys_to_distinct_rows() {
    Set<List<Object>> keys = new HashSet<>();
    for (long n = 0; n < 200_000; n++) {
      Object[] v = SampleData.values(n);
      keys.add(List.of(v[0], v[1], v[2])); // (account, day), seq
    }
    assertThat(keys).hasSize(200_000);
  }

  @Test
  void should_give_the_same_values_for_the_same_row_number() {
    assertThat(Arrays.deepEquals(SampleData.values(12_345), SampleData.values(12_345))).isTrue();
    assertThat(Arrays.deepEquals(SampleData.values(12_345), SampleData.values(12_346))).isFalse();
  }

  @Test
  void should_match_a_null_collection_with_the_empty_one_the_driver_reads() {
    assertThat(SampleData.same(null, java.util.Set.of())).isTrue();
    assertThat(SampleData.same(null, java.util.Map.of())).isTrue();
    assertThat(SampleData.same(null, java.util.List.of(1L))).isFalse();
    assertThat(SampleData.same(null, "")).isFalse();
    assertThat(SampleData.same("a", "a")).isTrue();
  }

  @Test
  void should_leave_optional_columns_null_in_every_tenth_row() {
    assertThat(Arrays.asList(SampleData.values(9))).containsNull();
    assertThat(Arrays.asList(SampleData.values(8))).doesNotContainNull();
  }
}
