package dev.ringsweep.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportSource;
import java.nio.file.Path;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;


class IcebergNamesTest {

  private static final String VALID = "each namespace level and the table name must be a non-empty name without "
      + "'/', '\\', control characters, and not '.' or '..', e.g. db.orders)";

  @Test
  void should_accept_plain_and_nested_identifiers() {
    assertThat(IcebergNames.parse("db.orders")).isEqualTo(TableIdentifier.of("db", "orders"));
    assertThat(IcebergNames.parse("a.b.c_1-x")).isEqualTo(TableIdentifier.of("a", "b", "c_1-x"));
  }

  @Test
  void should_refuse_an_identifier_that_climbs_out_of_the_warehouse() {
    assertThatThrownBy(() -> IcebergNames.parse("../../escape.t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid Iceberg table identifier: '../../escape.t' (it has an empty level; " + VALID);
  }

  @Test
  void should_refuse_empty_levels_separators_dot_levels_and_control_characters() {
    assertThatThrownBy(() -> IcebergNames.parse("db..t")).hasMessageContaining("it has an empty level");
    assertThatThrownBy(() -> IcebergNames.check(TableIdentifier.of(Namespace.of("a/b"), "t")))
        .hasMessageContaining("level 'a/b' holds a path separator");
    assertThatThrownBy(() -> IcebergNames.check(TableIdentifier.of(Namespace.of("db"), "..")))
        .hasMessageContaining("a level is '..'");
    assertThatThrownBy(() -> IcebergNames.check(TableIdentifier.of(Namespace.of("db"), "a\\b")))
        .hasMessageContaining("holds a path separator");
    assertThatThrownBy(() -> IcebergNames.check(TableIdentifier.of(Namespace.of("db"), "a\nb")))
        .hasMessageContaining("level 'a?b' holds a control character");
    assertThatThrownBy(() -> IcebergNames.parse(" ")).hasMessage(
        "Invalid Iceberg table identifier: ' ' (must be namespace.table, e.g. db.orders)");
  }

  @Test
  void should_check_the_identifier_of_every_iceberg_target_and_source() {
    Path warehouse = Path.of("/tmp/never-created");
    assertThatThrownBy(() -> ExportTargets.iceberg(warehouse, "../../escape.t"))
        .hasMessageStartingWith("Invalid Iceberg table identifier: '../../escape.t'");
    assertThatThrownBy(() -> ImportSources.iceberg(warehouse, "db/x.t"))
        .hasMessageContaining("level 'db/x' holds a path separator");
  }
}
