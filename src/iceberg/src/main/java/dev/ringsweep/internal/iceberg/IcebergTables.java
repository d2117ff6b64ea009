package dev.ringsweep.internal.iceberg;

import dev.ringsweep.internal.export.OutputFormat;
import java.util.List;
import java.util.Objects;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * An Iceberg table as a value that travels to other JVMs, and a catalog of that one table to use there: how a Spark
 * export writes into, and a Spark import reads from, a table of a {@code Catalog} object that only the driver has
 * (as Iceberg's own Spark writer does, with {@link SerializableTable}). Writers in the other JVMs need only the
 * table's schema, partition spec, location, properties and {@code FileIO}, readers its metadata file too; the commit
 * stays with the driver's catalog. For the Spark module; not meant for other callers.
 */
public final class IcebergTables {

  private IcebergTables() {}

  /**
   * A serializable copy of the table {@code output} writes into: the existing table, or the table its commit will
   * create (same location, schema and partition spec).
   *
   * @throws IllegalArgumentException if {@code output} is not an Iceberg table's output
   */
  public static Table serializableTable(OutputFormat output) {
    if (!(output instanceof IcebergOutput iceberg)) {
      throw new IllegalArgumentException("Not the output of an Iceberg table: " + output);
    }
    return SerializableTable.copyOf(iceberg.table());
  }

  /**
   * A serializable copy of {@code catalog}'s table {@code id}, as it is now: readers in other JVMs plan its scans
   * from its metadata file.
   *
   * @throws IllegalArgumentException if the catalog has no such table
   */
  public static Table serializableTable(Catalog catalog, TableIdentifier id) {
    try {
      return SerializableTable.copyOf(catalog.loadTable(id));
    } catch (NoSuchTableException e) {
      throw new IllegalArgumentException(String.format("Unknown Iceberg table: %s (in catalog %s)", id,
          catalog.name()), e);
    }
  }

  /**
   * A catalog named {@code name} (the name of the catalog the table came from, so that messages and checkpoints
   * name it alike) holding only {@code table} under {@code id}, for writers and readers: it loads that table and can
   * neither create, drop, rename nor list tables; writers of its table never commit.
   */
  public static Catalog catalogOf(String name, TableIdentifier id, Table table) {
    return new OneTableCatalog(name, id, table);
  }

  /** Whether {@code catalog} is one {@link #catalogOf} made: its table is for writing data files only. */
  static boolean writersOnly(Catalog catalog) {
    return catalog instanceof OneTableCatalog;
  }

  /** A catalog of one table, loaded already. */
  private static final class OneTableCatalog implements Catalog {
    private final String name;
    private final TableIdentifier id;
    private final Table table;

    OneTableCatalog(String name, TableIdentifier id, Table table) {
      this.name = Objects.requireNonNull(name, "name");
      this.id = Objects.requireNonNull(id, "id");
      this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Table loadTable(TableIdentifier identifier) {
      if (!id.equals(identifier)) {
        throw new NoSuchTableException("Table does not exist: %s (this catalog holds only %s)", identifier, id);
      }
      return table;
    }

    @Override
    public List<TableIdentifier> listTables(Namespace namespace) {
      throw unsupported("list tables");
    }

    @Override
    public boolean dropTable(TableIdentifier identifier, boolean purge) {
      throw unsupported("drop a table");
    }

    @Override
    public void renameTable(TableIdentifier from, TableIdentifier to) {
      throw unsupported("rename a table");
    }

    private UnsupportedOperationException unsupported(String what) {
      return new UnsupportedOperationException("Cannot " + what + " in the catalog of the single table " + id
          + ", which only its writers load");
    }

    @Override
    public String toString() {
      return name();
    }
  }
}
