package dev.ringsweep.internal.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The catalogs of a warehouse directory: the default catalog's optional SQLite driver (present, or a message that
 * names the artifact to add), and tables that stay inside the warehouse whatever its path.
 */
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

  @ParameterizedTest
  @EnumSource(CatalogKind.class)
  void should_keep_the_tables_of_a_warehouse_whose_path_has_a_space_inside_it(CatalogKind kind, @TempDir Path dir)
      throws Exception {
    Path warehouse = dir.resolve("my lake");
    IcebergTarget target = ExportTargets.iceberg(warehouse, "db.orders").withCatalogKind(kind);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      Catalog catalog = opened.catalog();
      if (catalog instanceof SupportsNamespaces namespaces) {
        namespaces.createNamespace(Namespace.of("db"));
      }
      Table table = catalog.createTable(TableIdentifier.of("db", "orders"),
          new Schema(Types.NestedField.required(1, "id", Types.IntegerType.get())));
      String dataLocation = table.locationProvider().newDataLocation("part-0.parquet");
      try (OutputStream out = table.io().newOutputFile(dataLocation).create()) {
        out.write(1);
      }

      Path written = IcebergCatalogs.localPath(dataLocation);
      assertThat(written).startsWith(warehouse).exists();
      assertThat(IcebergCatalogs.localPath(table.location())).startsWith(warehouse);
      try (Stream<Path> files = Files.walk(dir)) {
        assertThat(files.map(Path::toString)).noneMatch(name -> name.contains("%20"));
      }
    }
  }
}
