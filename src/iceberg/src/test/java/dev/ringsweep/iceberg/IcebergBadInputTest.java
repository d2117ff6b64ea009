package dev.ringsweep.iceberg;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the Iceberg and Parquet targets and sources: rejected where it is given, naming the value. */
class IcebergBadInputTest {

  @TempDir Path dir;

  @Test
  void should_reject_a_parquet_target_file_size_that_is_not_positive_naming_it() {
    assertThatThrownBy(() -> ExportTargets.parquet(dir).withTargetFileSizeBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid target file size: 0 (must be > 0)");
  }

  @Test
  void should_reject_an_iceberg_table_without_a_namespace_naming_it() {
    assertThatThrownBy(() -> ExportTargets.iceberg(dir, "orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid table identifier: orders (must have a namespace, e.g. db.orders)");
    assertThatThrownBy(() -> ImportSources.iceberg(dir, "orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("orders");
  }

  @Test
  void should_reject_a_blank_partition_column_or_a_missing_partition_field_naming_it() {
    assertThatThrownBy(() -> PartitionField.identity(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid partition column: ' ' (must not be blank)");
    assertThatThrownBy(() -> ExportTargets.iceberg(dir, "db.orders")
        .withPartitionBy(PartitionField.day("placed"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid partition field: null at position 2 of 2");
    org.assertj.core.api.Assertions.assertThat(ExportTargets.iceberg(dir, "db.orders")
        .withPartitionBy(PartitionField.day("placed")).partitionBy()).containsExactly(PartitionField.day("placed"));
  }

  @Test
  void should_refuse_a_catalog_kind_for_a_table_in_a_catalog_object_naming_both() {
    org.apache.iceberg.inmemory.InMemoryCatalog lake = new org.apache.iceberg.inmemory.InMemoryCatalog();
    lake.initialize("lake", java.util.Map.of());
    org.apache.iceberg.catalog.TableIdentifier orders = org.apache.iceberg.catalog.TableIdentifier.of("db", "orders");

    assertThatThrownBy(() -> ExportTargets.iceberg(lake, orders).withCatalogKind(CatalogKind.HADOOP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid catalog kind: HADOOP (it chooses the catalog of a warehouse directory; this target is in "
            + "catalog lake)");
    assertThatThrownBy(() -> ImportSources.iceberg(lake, orders).withCatalogKind(CatalogKind.HADOOP))
        .hasMessage("Invalid catalog kind: HADOOP (it chooses the catalog of a warehouse directory; this source is in "
            + "catalog lake)");
    org.assertj.core.api.Assertions.assertThat(ExportTargets.iceberg(dir, "db.orders")
        .withCatalogKind(CatalogKind.HADOOP).catalogKind()).isEqualTo(CatalogKind.HADOOP);
  }
}
