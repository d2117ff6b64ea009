package dev.ringsweep.cli;

import picocli.CommandLine.Option;

/** The table a command works on (a picocli mixin); names follow CQL: quote them to keep their case. */
final class TableOptions {

  @Option(names = {"-k", "--keyspace"}, required = true, paramLabel = "KEYSPACE", description = "Keyspace name.")
  private String keyspace;

  @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", description = "Table name.")
  private String table;

  String keyspace() {
    return keyspace;
  }

  String table() {
    return table;
  }

  /** {@code keyspace.table}, as given. */
  String qualifiedName() {
    return keyspace + "." + table;
  }
}
