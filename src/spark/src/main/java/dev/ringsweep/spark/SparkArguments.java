package dev.ringsweep.spark;

import dev.ringsweep.internal.DurationText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The command line of {@link SparkMain}: a command ({@code count}, {@code export}, {@code import}) and the command
 * line's own option names for it ({@code -k}, {@code -t}, {@code -c}, {@code --local-dc}, {@code -f iceberg|parquet},
 * {@code --target}, {@code --iceberg-table}, {@code --resume}, ...), plus {@code --tasks},
 * {@code --task-size-mb} and {@code --catalog NAME} (an Iceberg catalog the Spark session configures, as
 * {@code spark.sql.catalog.NAME}, in place of a warehouse directory). Options with a value take it as the next
 * argument or after {@code =}. The contact points and local data center default to the environment variables
 * {@code RINGSWEEP_CONTACT_POINTS} and {@code RINGSWEEP_LOCAL_DC}, as on the command line; the password comes from
 * {@code RINGSWEEP_PASSWORD} only (never from the arguments, which Spark shows in its UI). TLS: {@code --truststore
 * FILE} and {@code --keystore FILE} (a client certificate), their passwords from {@code RINGSWEEP_TRUSTSTORE_PASSWORD}
 * and {@code RINGSWEEP_KEYSTORE_PASSWORD} only, and {@code --no-hostname-validation}; the files must be at that path
 * on the driver and on every executor (a relative path is resolved in each JVM's working directory, where
 * {@code spark-submit --files} puts them on YARN). {@code --max-retries N} and {@code --retry-backoff DURATION}
 * ({@code 500ms}, {@code 2s}, {@code 1m} or ISO-8601 such as {@code PT1M}) set how a task retries a failing range
 * query, as on the command line.
 *
 * @param command the command
 * @param values each option given, by its long name, with its value ("true" for a flag)
 */
record SparkArguments(String command, Map<String, String> values) {

  private static final Map<String, String> SHORT = Map.of("-k", "--keyspace", "-t", "--table", "-c",
      "--contact-points", "-u", "--username", "-f", "--format");
  private static final Set<String> FLAGS = Set.of("--overwrite", "--resume", "--no-hostname-validation",
      "--no-remember-limits", "--add-to-counters");
  /** The connection's options, taken by every command. */
  private static final Set<String> CONNECTION = Set.of("--keyspace", "--table", "--contact-points", "--local-dc",
      "--username", "--truststore", "--keystore", "--no-hostname-validation", "--tasks", "--consistency",
      "--no-remember-limits", "--max-retries", "--retry-backoff");
  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "count", with(CONNECTION, "--task-size-mb", "--max-rows-per-second"),
      "export", with(CONNECTION, "--format", "--target", "--catalog", "--iceberg-table", "--overwrite",
          "--compression", "--columns", "--writers", "--max-rows-per-second", "--max-bytes-per-second",
          "--task-size-mb", "--resume"),
      "import", with(CONNECTION, "--format", "--source", "--catalog", "--iceberg-table", "--snapshot",
          "--max-in-flight", "--max-rows-per-second", "--readers", "--max-errors", "--bad-records", "--verify",
          "--checkpoint", "--resume", "--add-to-counters"));

  private static Set<String> with(Set<String> common, String... more) {
    Set<String> all = new java.util.HashSet<>(common);
    all.addAll(List.of(more));
    return Set.copyOf(all);
  }

  /** The usage line. */
  static final String USAGE = "Usage: spark-submit --class " + SparkMain.class.getName()
      + " ringsweep-spark-all.jar (count|export|import) -k KEYSPACE -t TABLE [-c HOST[:PORT],...] [--local-dc DC] "
      + "[-u USER (password in env RINGSWEEP_PASSWORD)] [--truststore FILE (password in env "
      + "RINGSWEEP_TRUSTSTORE_PASSWORD)] [--keystore FILE (password in env RINGSWEEP_KEYSTORE_PASSWORD)] "
      + "[--no-hostname-validation] [--tasks N] [--consistency LEVEL] [--no-remember-limits] "
      + "[--max-retries N] [--retry-backoff DURATION (e.g. 500ms, 2s, PT1M)]; "
      + "count: [--task-size-mb MB] [--max-rows-per-second N]; export: (-f iceberg (--target WAREHOUSE | --catalog "
      + "SPARK_CATALOG) [--iceberg-table NS.TABLE] [--overwrite] [--resume] | "
      + "-f parquet --target DIRECTORY [--resume]) [--task-size-mb MB] [--compression zstd|snappy|gzip|none] "
      + "[--columns A,B] [--writers N] [--max-rows-per-second N] [--max-bytes-per-second N]; import: (-f iceberg "
      + "(--source WAREHOUSE | --catalog SPARK_CATALOG) [--iceberg-table NS.TABLE] [--snapshot ID] | "
      + "-f parquet --source FILE_OR_DIRECTORY) [--readers N] [--max-in-flight N] [--max-rows-per-second N] "
      + "[--max-errors N] [--bad-records FILE] [--verify none|count|checksum] [--checkpoint FILE [--resume]] [--add-to-counters]";

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException naming the command or option that is unknown, misplaced or missing a value
   */
  static SparkArguments parse(List<String> args, UnaryOperator<String> environment) {
    if (args.isEmpty() || !OPTIONS.containsKey(args.get(0))) {
      throw new IllegalArgumentException(String.format("Unknown command: %s (must be count, export or import)",
          args.isEmpty() ? "none" : "'" + args.get(0) + "'"));
    }
    String command = args.get(0);
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        value = arg.substring(equals + 1);
        arg = arg.substring(0, equals);
      }
      String name = SHORT.getOrDefault(arg, arg);
      if (!OPTIONS.get(command).contains(name)) {
        throw new IllegalArgumentException(String.format("Unknown option for %s: '%s'", command, arg));
      }
      if (values.containsKey(name)) {
        throw new IllegalArgumentException(String.format("Option '%s' given twice (give it once)", arg));
      }
      if (FLAGS.contains(name)) {
        if (value != null) {
          // --overwrite=false would otherwise switch overwriting on.
          throw new IllegalArgumentException(String.format("Invalid option '%s=%s': %s is a flag and takes no value "
              + "(give it to switch it on, leave it out to leave it off)", arg, value, arg));
        }
        value = "true";
      } else if (value == null) {
        if (i + 1 >= args.size() || isOption(args.get(i + 1))) {
          throw new IllegalArgumentException(String.format("Missing value of option '%s'", arg));
        }
        value = args.get(++i);
      }
      values.put(name, value);
    }
    putDefault(values, "--contact-points", environment.apply("RINGSWEEP_CONTACT_POINTS"));
    putDefault(values, "--local-dc", environment.apply("RINGSWEEP_LOCAL_DC"));
    for (String required : List.of("--keyspace", "--table", "--contact-points", "--local-dc")) {
      if (!values.containsKey(required)) {
        throw new IllegalArgumentException(String.format("Missing option %s%s", required,
            required.equals("--contact-points") ? " (or env RINGSWEEP_CONTACT_POINTS)"
                : required.equals("--local-dc") ? " (or env RINGSWEEP_LOCAL_DC)" : ""));
      }
    }
    if (!command.equals("count")) {
      String format = values.get("--format");
      if (!"iceberg".equals(format) && !"parquet".equals(format)) {
        throw new IllegalArgumentException(String.format(
            "Invalid --format: %s (on Spark: iceberg or parquet)", format == null ? "missing" : format));
      }
      for (String icebergOnly : List.of("--iceberg-table", "--overwrite", "--snapshot", "--catalog")) {
        if (format.equals("parquet") && values.containsKey(icebergOnly)) {
          throw new IllegalArgumentException(String.format("Invalid option for -f parquet: %s (Iceberg only)",
              icebergOnly));
        }
      }
      String where = command.equals("export") ? "--target" : "--source";
      if (values.containsKey(where) && values.containsKey("--catalog")) {
        throw new IllegalArgumentException(String.format("Invalid options: %s '%s' and --catalog '%s' are both set "
            + "(a warehouse directory or a Spark catalog: set one of them)", where, values.get(where),
            values.get("--catalog")));
      }
      if (!values.containsKey(where) && !(format.equals("iceberg") && values.containsKey("--catalog"))) {
        throw new IllegalArgumentException("Missing option " + where + (format.equals("iceberg")
            ? " (the Iceberg warehouse directory) or --catalog (a Spark catalog)"
            : command.equals("export") ? " (the Parquet directory)" : " (the Parquet file or directory)"));
      }
    }
    return new SparkArguments(command, values);
  }

  private static void putDefault(Map<String, String> values, String name, String value) {
    if (value != null && !value.isBlank()) {
      values.putIfAbsent(name, value);
    }
  }

  String get(String name) {
    return values.get(name);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  int intValue(String name) {
    try {
      return Integer.parseInt(values.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format("Invalid %s: '%s' (must be a whole number)", name,
          values.get(name)));
    }
  }

  long longValue(String name) {
    try {
      return Long.parseLong(values.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format("Invalid %s: '%s' (must be a whole number)", name,
          values.get(name)));
    }
  }

  double doubleValue(String name) {
    try {
      return Double.parseDouble(values.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format("Invalid %s: '%s' (must be a number)", name,
          values.get(name)));
    }
  }

  /** The option's value as a duration ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code PT1M}). */
  java.time.Duration durationValue(String name) {
    try {
      return DurationText.parse(values.get(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(String.format("Invalid %s: %s", name, e.getMessage()));
    }
  }

  /** Whether {@code arg} is an option's name (then it is not another option's value). */
  private static boolean isOption(String arg) {
    String name = arg.startsWith("--") && arg.indexOf('=') > 0 ? arg.substring(0, arg.indexOf('=')) : arg;
    return SHORT.containsKey(name) || OPTIONS.values().stream().anyMatch(options -> options.contains(name));
  }

  /**
   * The contact points as {@code host:port} (split at the last colon), port 9042 where none is given: {@code host},
   * {@code host:port}, {@code [IPv6]}, {@code [IPv6]:port}, or a bare IPv6 address (more than one colon), as on the
   * command line.
   */
  List<String> contactPoints() {
    List<String> points = new ArrayList<>();
    for (String point : values.get("--contact-points").split(",")) {
      String p = point.trim();
      int colons = p.length() - p.replace(":", "").length();
      if (p.startsWith("[") && p.indexOf(']') > 0) {
        int close = p.indexOf(']');
        String host = p.substring(1, close);
        String rest = p.substring(close + 1);
        points.add(host + (rest.startsWith(":") ? rest : rest.isEmpty() ? ":9042" : "]" + rest));
      } else {
        points.add(colons == 1 ? p : p + ":9042");
      }
    }
    return points;
  }

  /** The Iceberg table: {@code --iceberg-table}, or KEYSPACE.TABLE as on the command line. */
  String icebergTable() {
    return values.getOrDefault("--iceberg-table", values.get("--keyspace") + "." + values.get("--table"));
  }
}
