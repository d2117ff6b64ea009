package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.internal.imports.CqlTypes;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;


class CqlTypesTest {

  @Test
  void should_compare_types_without_frozen_markers_and_spaces() {
    assertThat(CqlTypes.normalize("frozen<list<frozen<map<int, text>>>>")).isEqualTo("list<map<int,text>>");
    assertThat(CqlTypes.sameValues("map<int, frozen<map<text, frozen<set<uuid>>>>>", "map<int,map<text,set<uuid>>>"))
        .isTrue();
    assertThat(CqlTypes.sameValues("frozen<person>", "person")).isTrue();
    assertThat(CqlTypes.sameValues("list<int>", "set<int>")).isFalse();
  }

  @Test
  void should_compare_user_defined_types_by_name_whatever_their_keyspace() {
    assertThat(CqlTypes.sameValues("frozen<import_it.person>", "other_ks.person")).isTrue();
    assertThat(CqlTypes.normalize("list<frozen<ks.address>>")).isEqualTo("list<address>");
    assertThat(CqlTypes.normalize("map<\"Ks\".\"Addr\", int>")).isEqualTo("map<\"addr\",int>");
    assertThat(CqlTypes.sameValues("ks.person", "ks.address")).isFalse();
  }

  @Test
  void should_treat_varchar_as_text_but_not_inside_other_names() {
    assertThat(CqlTypes.normalize("map<varchar, varchar>")).isEqualTo("map<text,text>");
    assertThat(CqlTypes.normalize("frozen<my_varchar_udt>")).isEqualTo("my_varchar_udt");
  }

  @Test
  void should_name_scalar_types_only() {
    assertThat(CqlTypes.scalar("tinyint")).isEqualTo(DataTypes.TINYINT);
    assertThat(CqlTypes.scalar("varchar")).isEqualTo(DataTypes.TEXT);
    assertThat(CqlTypes.scalar("list<int>")).isNull();
    assertThat(CqlTypes.scalar("frozen<person>")).isNull();
  }

  @Test
  void should_compare_iceberg_shapes_ignoring_ids_but_not_field_names() {
    Types.StructType a = Types.StructType.of(Types.NestedField.optional(1, "x", Types.IntegerType.get()),
        Types.NestedField.optional(2, "l", Types.ListType.ofOptional(3, Types.StringType.get())));
    Types.StructType b = Types.StructType.of(Types.NestedField.required(10, "x", Types.IntegerType.get()),
        Types.NestedField.optional(20, "l", Types.ListType.ofRequired(30, Types.StringType.get())));
    Types.StructType renamed = Types.StructType.of(Types.NestedField.optional(1, "y", Types.IntegerType.get()),
        Types.NestedField.optional(2, "l", Types.ListType.ofOptional(3, Types.StringType.get())));
    assertThat(IcebergTypes.sameShape(a, b)).isTrue();
    assertThat(IcebergTypes.sameShape(a, renamed)).isFalse();
    assertThat(IcebergTypes.sameShape(Types.TimestampType.withZone(), Types.TimestampType.withoutZone())).isFalse();
  }
}
