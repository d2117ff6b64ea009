package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.internal.core.metadata.schema.DefaultKeyspaceMetadata;
import com.datastax.oss.driver.internal.core.metadata.schema.DefaultTableMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TablesTest {

  private static final CqlIdentifier KEYSPACE = CqlIdentifier.fromCql("shop");

  @Test
  void should_name_the_table_and_the_tables_the_keyspace_has() {
    IllegalArgumentException error = Tables.unknownTable(
        keyspace("orders", "\"Items\""), CqlIdentifier.fromCql("nope"), null);

    assertThat(error).hasMessage("Unknown table: shop.nope (tables in shop: \"Items\", orders)").hasNoCause();
  }

  @Test
  void should_say_none_for_a_keyspace_without_tables() {
    assertThat(Tables.unknownTable(keyspace(), CqlIdentifier.fromCql("nope"), null))
        .hasMessage("Unknown table: shop.nope (tables in shop: none)");
  }

  @Test
  void should_say_the_table_may_exist_when_the_schema_could_not_be_read_again() {
    DriverTimeoutException timeout = new DriverTimeoutException("Query timed out after PT2S");

    IllegalArgumentException error = Tables.unknownTable(keyspace("orders"), CqlIdentifier.fromCql("fresh"), timeout);

    assertThat(error)
        .hasMessageStartingWith("Unknown table: shop.fresh (tables in shop: orders); the driver's schema metadata "
            + "could not be read again")
        .hasMessageContaining("Query timed out after PT2S")
        .hasMessageContaining("so it may exist")
        .hasCause(timeout);
  }

  private static KeyspaceMetadata keyspace(String... tables) {
    Map<CqlIdentifier, TableMetadata> byName = new LinkedHashMap<>();
    for (String table : tables) {
      CqlIdentifier name = CqlIdentifier.fromCql(table);
      byName.put(name, new DefaultTableMetadata(KEYSPACE, name, UUID.randomUUID(), false, false, List.of(), Map.of(),
          Map.of(), Map.of(), Map.of()));
    }
    return new DefaultKeyspaceMetadata(KEYSPACE, true, false, Map.of(), Map.of(), byName, Map.of(), Map.of(),
        Map.of());
  }
}
