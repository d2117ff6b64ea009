package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The default catalog's optional SQLite driver: present, or a message that names the artifact to add. */
class IcebergCatalogsTest {

  @Test
  void should_accept_the_sqlite_driver_when_it_is_on_the_classpath() {
    assertThatCode(() -> IcebergCatalogs.requireSqliteDriver(IcebergCatalogs.SQLITE_DRIVER, Path.of("/w")))
        .doesNotThrowAnyException();
  }

  @Test
  void should_name_the_artifact_to_add_when_the_sqlite_driver_is_missing() {
    assertThatThrownBy(() -> IcebergCatalogs.requireSqliteDriver("org.sqlite.NoSuchDriver", Path.of("/w")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("warehouse /w")
        .hasMessageContaining("org.sqlite.NoSuchDriver")
        .hasMessageContaining("add the dependency org.xerial:sqlite-jdbc")
        .hasMessageContaining("CatalogKind.HADOOP");
  }
}
