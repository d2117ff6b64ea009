package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Iceberg catalogs named by their properties: they travel to executors as values and are rebuilt there; secrets are
 * never shown; a catalog that cannot be loaded is named. No network (in-memory and local SQLite catalogs).
 */
class IcebergCatalogConnectionTest {

  private static final IcebergCatalogConnection MEMORY = IcebergCatalogConnection.of("mem",
      Map.of("catalog-impl", "org.apache.iceberg.inmemory.InMemoryCatalog"));

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void should_rebuild_a_target_and_a_source_in_a_named_catalog_as_they_were() throws Exception {
    var target = MEMORY.target("db.t").withWriteMode(WriteMode.OVERWRITE).withCompression(ParquetCompression.SNAPPY);
    var source = MEMORY.source("db.t").atSnapshot(42);

    IcebergTableSpec spec = roundTrip(IcebergTableSpec.of(target));
    SplitSource split = roundTrip(SplitSource.of(source, 2));

    assertThat(spec.catalog()).isEqualTo(MEMORY);
    assertThat(spec.toTarget()).isEqualTo(target); // the same catalog object: one per connection and JVM
    assertThat(split.toSource()).isEqualTo(source);
    assertThat(roundTrip(MEMORY)).isEqualTo(MEMORY);
  }

  @Test
  void should_never_show_a_secret_of_the_catalog() {
    IcebergCatalogConnection lake = IcebergCatalogConnection.of("lake", Map.of("type", "jdbc",
        "uri", "jdbc:postgresql://alice:pw-in-uri@db:5432/iceberg", "jdbc.password", "s3cret-pass",
        "token", "t0ken-value", "warehouse", "s3://bucket/lake"));

    assertThat(lake.toString()).contains("lake", "jdbc", "s3://bucket/lake", "jdbc.password")
        .doesNotContain("s3cret-pass").doesNotContain("t0ken-value").doesNotContain("pw-in-uri");
  }

  @Test
  void should_never_show_a_password_given_as_a_uri_parameter_or_a_rest_header() {
    IcebergCatalogConnection postgres = IcebergCatalogConnection.of("pg", Map.of("type", "jdbc",
        "uri", "jdbc:postgresql://db:5432/iceberg?user=alice&password=pw-param&ssl=true"));
    IcebergCatalogConnection sqlServer = IcebergCatalogConnection.of("ms", Map.of("type", "jdbc",
        "uri", "jdbc:sqlserver://db:1433;databaseName=iceberg;user=alice;password=pw-semicolon;encrypt=true"));
    IcebergCatalogConnection rest = IcebergCatalogConnection.of("rest", Map.of("type", "rest",
        "uri", "https://catalog.example/api?access_token=tok-param", "header.Authorization", "Bearer hdr-secret",
        "header.X-Iceberg-Access-Delegation", "vended-credentials"));

    assertThat(postgres.toString()).contains("user=alice", "password=***", "ssl=true").doesNotContain("pw-param");
    assertThat(sqlServer.toString()).contains("user=alice", "password=***", "encrypt=true")
        .doesNotContain("pw-semicolon");
    assertThat(rest.toString()).contains("https://catalog.example/api?access_token=***", "header.Authorization=***")
        .doesNotContain("tok-param").doesNotContain("hdr-secret");
    assertThat(postgres.scrub("cannot open jdbc:postgresql://db:5432/iceberg?user=alice&password=pw-param"))
        .isEqualTo("cannot open jdbc:postgresql://db:5432/iceberg?user=alice&password=***");
  }

  @Test
  void should_name_a_catalog_that_cannot_be_loaded_without_its_secrets() {
    IcebergCatalogConnection down = IcebergCatalogConnection.of("down", Map.of("type", "jdbc",
        "uri", "jdbc:sqlite:/nonexistent-ringsweep-dir/catalog.db", "jdbc.password", "s3cret-pass"));

    assertThatThrownBy(down::catalog)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot load Iceberg catalog 'down' (")
        .hasMessageContaining("jdbc:sqlite:/nonexistent-ringsweep-dir/catalog.db")
        .hasMessageNotContaining("s3cret-pass");
  }

  @Test
  void should_name_what_is_missing() {
    assertThatThrownBy(() -> IcebergCatalogConnection.of("lake", Map.of("uri", "thrift://h:9083")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Missing Iceberg catalog setting of catalog 'lake': type or catalog-impl (e.g. type=hadoop, "
            + "jdbc, rest, hive); given: [uri]");
    assertThatThrownBy(() -> IcebergCatalogConnection.of(" ", Map.of("type", "hadoop")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid Iceberg catalog name: ' ' (must not be blank)");
  }
}
