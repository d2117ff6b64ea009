package dev.ringsweep.cli;

import dev.ringsweep.iceberg.IcebergNames;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The {@code --iceberg-table} option of export and import: checked as a usage error before anything runs. */
final class IcebergTableOption {

  private IcebergTableOption() {}

  /**
   * The Iceberg table identifier to use: {@code value}, or {@code KEYSPACE.TABLE} when it was not given.
   *
   * @throws ParameterException (exit code 2) naming the value when it is not a safe identifier
   */
  static String check(CommandSpec spec, String value, TableOptions table) {
    String name = value != null ? value : table.qualifiedName();
    try {
      IcebergNames.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), (value != null ? "Invalid value for option "
          + "'--iceberg-table': " : "Invalid default of option '--iceberg-table' (KEYSPACE.TABLE): ") + e.getMessage());
    }
    return name;
  }
}
