package dev.ringsweep.iceberg;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Checks Iceberg table identifiers before they reach a catalog. A warehouse catalog turns the namespace levels and
 * the table name into directories and file names (the table's location, the export's checkpoint), so a level that
 * is empty, {@code .} or {@code ..}, or holds a path separator, could place files outside the warehouse.
 */
public final class IcebergNames {

  private IcebergNames() {}

  /**
   * Returns {@code id} if every namespace level and the table name are safe names.
   *
   * @throws IllegalArgumentException naming the identifier, the bad level and what is valid
   */
  public static TableIdentifier check(TableIdentifier id) {
    List<String> levels = new ArrayList<>(List.of(id.namespace().levels()));
    levels.add(id.name());
    for (String level : levels) {
      String problem = problem(level);
      if (problem != null) {
        throw new IllegalArgumentException(String.format(
            "Invalid Iceberg table identifier: '%s' (%s; each namespace level and the table name must be a "
                + "non-empty name without '/', '\\', control characters, and not '.' or '..', e.g. db.orders)",
            id, problem));
      }
    }
    return id;
  }

  /** Parses {@code namespace.table} and {@linkplain #check checks} it. */
  public static TableIdentifier parse(String namespaceAndTable) {
    if (namespaceAndTable == null || namespaceAndTable.isBlank()) {
      throw new IllegalArgumentException(
          String.format("Invalid Iceberg table identifier: '%s' (must be namespace.table, e.g. db.orders)",
              namespaceAndTable));
    }
    return check(TableIdentifier.parse(namespaceAndTable));
  }

  private static String problem(String level) {
    if (level.isEmpty()) {
      return "it has an empty level";
    }
    if (level.equals(".") || level.equals("..")) {
      return "a level is '" + level + "'";
    }
    for (int i = 0; i < level.length(); i++) {
      char c = level.charAt(i);
      if (c == '/' || c == '\\') {
        return "level '" + level + "' holds a path separator";
      }
      if (Character.isISOControl(c)) {
        return "level '" + level.replaceAll("\\p{Cntrl}", "?") + "' holds a control character";
      }
    }
    return null;
  }
}
