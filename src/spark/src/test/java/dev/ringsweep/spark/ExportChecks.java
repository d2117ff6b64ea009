package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * What the export tests check in the Spark session's Iceberg catalog {@code ringsweep} (the warehouse of
 * {@link SparkFixture}) and in an export's checkpoint, with Spark SQL and plain file reads, not Ringsweep's readers.
 */
final class ExportChecks {

  private final SparkSession spark;
  private final Path warehouse;

  ExportChecks(SparkSession spark, Path warehouse) {
    this.spark = spark;
    this.warehouse = warehouse;
  }

  boolean tableExists(String table) {
    return spark.sql("SHOW TABLES IN ringsweep.db").collectAsList().stream()
        .anyMatch(r -> r.getString(1).equals(table));
  }

  long snapshots(String table) {
    return tableExists(table) ? spark.sql("SELECT * FROM ringsweep.db." + table + ".snapshots").count() : 0;
  }

  /** The checkpoint of the export to {@code db.<table>} in the warehouse (the default place). */
  Path checkpoint(String table) {
    return warehouse.resolve("_ringsweep_checkpoints").resolve("db." + table + ".json");
  }

  /** The data files the checkpoint records, as local paths. */
  Set<String> recordedFiles(String table) {
    Set<String> files = new HashSet<>();
    try {
      JsonNode root = new ObjectMapper().readTree(checkpoint(table).toFile());
      root.get("files").forEach(f -> files.add(local(f.get("path").asText())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** Parquet files under the table's directory that its current snapshot does not reference. */
  Set<String> unreferencedFiles(String table) {
    Set<String> referenced = new HashSet<>();
    if (tableExists(table)) {
      spark.sql("SELECT file_path FROM ringsweep.db." + table + ".files").collectAsList()
          .forEach(r -> referenced.add(local(r.getString(0))));
    }
    Set<String> onDisk = new HashSet<>();
    Path dir = warehouse.resolve("db").resolve(table);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.filter(p -> p.toString().endsWith(".parquet")).forEach(p -> onDisk.add(p.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    onDisk.removeAll(referenced);
    return onDisk;
  }

  private static String local(String location) {
    return Path.of(location.replaceFirst("^file:", "")).toString();
  }

  /**
   * Spark SQL's rows of {@code db.<table>} (columns {@code k bigint, v text}) are exactly keys 0 to {@code rows - 1},
   * each once, with {@code value.apply(k)} as v.
   */
  void assertExactly(String table, long rows, LongFunction<String> value) {
    List<org.apache.spark.sql.Row> read = spark.sql("SELECT k, v FROM ringsweep.db." + table).collectAsList();
    boolean[] seen = new boolean[Math.toIntExact(rows)];
    for (org.apache.spark.sql.Row row : read) {
      long k = row.getLong(0);
      assertThat(k).as("key").isBetween(0L, rows - 1);
      assertThat(seen[(int) k]).as("row %s exported twice", k).isFalse();
      seen[(int) k] = true;
      assertThat(row.getString(1)).as("v of %s", k).isEqualTo(value.apply(k));
    }
    assertThat(read).as("rows of db.%s", table).hasSize(Math.toIntExact(rows));
  }
}
