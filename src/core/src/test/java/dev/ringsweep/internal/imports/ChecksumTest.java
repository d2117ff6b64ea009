package dev.ringsweep.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.format.CqlColumn;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksumTest {

  private static final List<DataType> TYPES = List.of(DataTypes.INT, DataTypes.setOf(DataTypes.TEXT),
      DataTypes.mapOf(DataTypes.INT, DataTypes.TEXT), DataTypes.listOf(DataTypes.INT));

  private static long row(Object... values) {
    return Checksum.row(values, TYPES);
  }

  @Test
  void should_not_depend_on_the_order_of_set_elements_and_map_entries() {
    Map<Integer, String> ab = new LinkedHashMap<>(Map.of(1, "a"));
    ab.put(2, "b");
    Map<Integer, String> ba = new LinkedHashMap<>(Map.of(2, "b"));
    ba.put(1, "a");
    assertThat(row(1, new LinkedHashSet<>(List.of("x", "y")), ab, List.of(1, 2)))
        .isEqualTo(row(1, new LinkedHashSet<>(List.of("y", "x")), ba, List.of(1, 2)));
  }

  @Test
  void should_depend_on_the_order_of_list_elements_and_of_columns() {
    assertThat(row(1, null, null, List.of(1, 2))).isNotEqualTo(row(1, null, null, List.of(2, 1)));
    assertThat(Checksum.row(new Object[] {1, 2}, List.of(DataTypes.INT, DataTypes.INT)))
        .isNotEqualTo(Checksum.row(new Object[] {2, 1}, List.of(DataTypes.INT, DataTypes.INT)));
  }

  @Test
  void should_tell_null_from_empty() {
    assertThat(row(1, null, null, null)).isNotEqualTo(row(1, new LinkedHashSet<>(), null, null));
    assertThat(row(1, null, null, null)).isNotEqualTo(row(1, null, null, List.of()));
    assertThat(Checksum.row(new Object[] {null}, List.of(DataTypes.TEXT)))
        .isNotEqualTo(Checksum.row(new Object[] {""}, List.of(DataTypes.TEXT)));
  }

  @Test
  void should_tell_one_value_from_another() {
    assertThat(row(1, null, null, null)).isNotEqualTo(row(2, null, null, null));
    assertThat(Checksum.row(new Object[] {Instant.ofEpochMilli(1)}, List.of(DataTypes.TIMESTAMP)))
        .isNotEqualTo(Checksum.row(new Object[] {Instant.ofEpochMilli(2)}, List.of(DataTypes.TIMESTAMP)));
  }

  @Test
  void should_hash_every_type_of_the_export_coverage_and_tell_the_rows_apart() {
    UserDefinedType[] udts = AllTypes.detachedUdts();
    List<CqlColumn> columns = AllTypes.columns(udts[0], udts[1]);
    List<DataType> types = columns.stream().map(CqlColumn::type).toList();
    List<Long> hashes = AllTypes.rows(udts[0], udts[1], AllTypes.tupleType()).stream()
        .map(r -> Checksum.row(r, types)).toList();
    assertThat(hashes).doesNotHaveDuplicates();
    assertThat(AllTypes.rows(udts[0], udts[1], AllTypes.tupleType()).stream().map(r -> Checksum.row(r, types))
        .toList()).isEqualTo(hashes);
  }
}
