package dev.ringsweep.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The table a command works on (a picocli mixin); names follow CQL: quote them to keep their case. A name that is
 * not a CQL identifier is a usage error (exit code 2), checked before connecting.
 */
final class TableOptions {

  /** An unquoted CQL identifier, or a double-quoted one (inner quotes doubled). */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]+|\"(?:[^\"]|\"\")+\"");

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  private String keyspace;
  private String table;

  @Option(names = {"-k", "--keyspace"}, required = true, paramLabel = "KEYSPACE", description = "Keyspace name.")
  void keyspace(String value) {
    keyspace = check("--keyspace", value);
  }

  @Option(names = {"-t", "--table"}, required = true, paramLabel = "TABLE", description = "Table name.")
  void table(String value) {
    table = check("--table", value);
  }

  private String check(String option, String value) {
    if (!IDENTIFIER.matcher(value).matches()) {
      throw new ParameterException(spec.commandLine(), String.format("Invalid value for option '%s': '%s' (a CQL "
          + "name: letters, digits and _, or a double-quoted name such as '\"MyTable\"')", option, value));
    }
    return value;
  }

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
