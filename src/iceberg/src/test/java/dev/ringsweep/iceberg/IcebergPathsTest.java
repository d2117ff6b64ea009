package dev.ringsweep.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Parquet sources and targets and Iceberg warehouses keep their path absolute and normalized, so that a checkpoint
 * names them (and a Parquet source's row groups) the same whichever way the path was given: relative on the command
 * line, absolute on Spark.
 */
class IcebergPathsTest {

  private static final Path CWD = Path.of("").toAbsolutePath();

  @Test
  void should_make_parquet_paths_absolute_and_normalized() {
    assertThat(ImportSources.parquet(Path.of("in/../data")).path()).isEqualTo(CWD.resolve("data"));
    assertThat(ImportSources.parquet(Path.of("data")).describe())
        .isEqualTo(ImportSources.parquet(CWD.resolve("data")).describe());
    assertThat(ExportTargets.parquet(Path.of("./out")).directory()).isEqualTo(CWD.resolve("out"));
    assertThat(ExportTargets.parquet(Path.of("out")).describe())
        .isEqualTo(ExportTargets.parquet(CWD.resolve("out")).describe());
  }

  @Test
  void should_make_warehouse_paths_absolute_and_normalized() {
    IcebergTarget target = ExportTargets.iceberg(Path.of("wh/."), "db.orders");
    IcebergSource source = ImportSources.iceberg(Path.of("x/../wh"), "db.orders");

    assertThat(target.warehouse()).isEqualTo(CWD.resolve("wh"));
    assertThat(target.describe()).isEqualTo(ExportTargets.iceberg(CWD.resolve("wh"), "db.orders").describe());
    assertThat(source.warehouse()).isEqualTo(CWD.resolve("wh"));
    assertThat(source.describe()).isEqualTo(ImportSources.iceberg(CWD.resolve("wh"), "db.orders").describe());
    assertThat(target.withCompression(ParquetCompression.SNAPPY).warehouse()).isEqualTo(CWD.resolve("wh"));
  }
}
