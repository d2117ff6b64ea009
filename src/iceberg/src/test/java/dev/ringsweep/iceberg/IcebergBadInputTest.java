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
}
