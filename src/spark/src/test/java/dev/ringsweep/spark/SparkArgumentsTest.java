package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spark-submit command line: the command line's option names, clear errors. No network. */
class SparkArgumentsTest {

  private static final Map<String, String> NO_ENV = Map.of();

  private static SparkArguments parse(String... args) {
    return SparkArguments.parse(List.of(args), NO_ENV::get);
  }

  @Test
  void should_read_an_export_with_the_command_lines_option_names() {
    SparkArguments a = parse("export", "-k", "shop", "-t", "orders", "-c", "10.0.0.1,10.0.0.2:9142",
        "--local-dc=dc1", "-f", "iceberg", "--target", "/wh", "--overwrite", "--tasks", "12");

    assertThat(a.command()).isEqualTo("export");
    assertThat(a.contactPoints()).containsExactly("10.0.0.1:9042", "10.0.0.2:9142");
    assertThat(a.get("--local-dc")).isEqualTo("dc1");
    assertThat(a.has("--overwrite")).isTrue();
    assertThat(a.intValue("--tasks")).isEqualTo(12);
    assertThat(a.icebergTable()).isEqualTo("shop.orders");
  }

  @Test
  void should_read_a_parquet_export_and_import() {
    SparkArguments export = parse("export", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1", "-f",
        "parquet", "--target", "/out", "--compression", "snappy");
    SparkArguments imported = parse("import", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1",
        "--format=parquet", "--source", "/out", "--bad-records", "/bad.jsonl");

    assertThat(export.get("--format")).isEqualTo("parquet");
    assertThat(export.get("--target")).isEqualTo("/out");
    assertThat(imported.get("--format")).isEqualTo("parquet");
    assertThat(imported.get("--source")).isEqualTo("/out");
    assertThat(imported.get("--bad-records")).isEqualTo("/bad.jsonl");
  }

  @Test
  void should_take_a_spark_catalog_by_name_in_place_of_a_warehouse_directory() {
    SparkArguments export = parse("export", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1", "-f",
        "iceberg", "--catalog", "lake", "--iceberg-table", "db.orders");
    SparkArguments imported = parse("import", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1", "-f",
        "iceberg", "--catalog=lake");

    assertThat(export.get("--catalog")).isEqualTo("lake");
    assertThat(export.has("--target")).isFalse();
    assertThat(export.icebergTable()).isEqualTo("db.orders");
    assertThat(imported.get("--catalog")).isEqualTo("lake");
    assertThat(imported.icebergTable()).isEqualTo("shop.orders");
    assertThatThrownBy(() -> parse("export", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1", "-f",
        "iceberg", "--catalog", "lake", "--target", "/wh"))
        .hasMessage("Invalid options: --target '/wh' and --catalog 'lake' are both set (a warehouse directory or a "
            + "Spark catalog: set one of them)");
    assertThatThrownBy(() -> parse("import", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1", "-f",
        "iceberg")).hasMessage("Missing option --source (the Iceberg warehouse directory) or --catalog (a Spark "
            + "catalog)");
    assertThatThrownBy(() -> parse("export", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1", "-f",
        "parquet", "--target", "/out", "--catalog", "lake"))
        .hasMessage("Invalid option for -f parquet: --catalog (Iceberg only)");
    assertThatThrownBy(() -> parse("count", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1",
        "--catalog", "lake")).hasMessage("Unknown option for count: '--catalog'");
  }

  @Test
  void should_resume_an_export_and_size_tasks_as_told() {
    SparkArguments a = parse("export", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1", "-f",
        "iceberg", "--target", "/wh", "--resume", "--task-size-mb", "64");

    assertThat(SparkMain.exportOptions(a).resume()).isEqualTo(dev.ringsweep.export.Resume.RESUME);
    assertThat(SparkMain.sparkOptions(a).taskSizeMb()).isEqualTo(64);
    assertThat(SparkMain.exportOptions(parse("export", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1",
        "-f", "iceberg", "--target", "/wh")).resume()).isEqualTo(dev.ringsweep.export.Resume.NEW);
    assertThatThrownBy(() -> parse("count", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1",
        "--resume")).hasMessage("Unknown option for count: '--resume'");
  }

  @Test
  void should_remember_limits_from_task_to_task_unless_told_not_to() {
    assertThat(SparkMain.sparkOptions(parse("count", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1"))
        .rememberLimits()).isTrue();
    for (String command : new String[] {"count", "export", "import"}) {
      List<String> args = new java.util.ArrayList<>(List.of(command, "-k", "shop", "-t",
          "orders", "-c", "h", "--local-dc", "dc1", "--no-remember-limits"));
      if (!command.equals("count")) {
        args.addAll(List.of("-f", "parquet", command.equals("export") ? "--target" : "--source", "/p"));
      }
      assertThat(SparkMain.sparkOptions(parse(args.toArray(String[]::new))).rememberLimits()).as(command).isFalse();
    }
  }

  @Test
  void should_retry_range_queries_as_told_on_every_command() {
    SparkOptions defaults = SparkMain.sparkOptions(parse("count", "-k", "shop", "-t", "orders", "-c", "h",
        "--local-dc", "dc1"));
    assertThat(defaults.maxRetries()).isEqualTo(SparkOptions.defaults().maxRetries());
    assertThat(defaults.retryBackoff()).isEqualTo(SparkOptions.DEFAULT_RETRY_BACKOFF);
    for (String command : new String[] {"count", "export", "import"}) {
      List<String> args = new java.util.ArrayList<>(List.of(command, "-k", "shop", "-t", "orders", "-c", "h",
          "--local-dc", "dc1", "--max-retries", "7", "--retry-backoff=2s"));
      if (!command.equals("count")) {
        args.addAll(List.of("-f", "parquet", command.equals("export") ? "--target" : "--source", "/p"));
      }
      SparkOptions options = SparkMain.sparkOptions(parse(args.toArray(String[]::new)));
      assertThat(options.maxRetries()).as(command).isEqualTo(7);
      assertThat(options.retryBackoff()).as(command).isEqualTo(java.time.Duration.ofSeconds(2));
    }
    assertThat(SparkMain.sparkOptions(parse("count", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1",
        "--retry-backoff", "PT0.25S")).retryBackoff()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(SparkMain.sparkOptions(parse("count", "-k", "shop", "-t", "orders", "-c", "h", "--local-dc", "dc1",
        "--retry-backoff", "0ms", "--max-retries", "0")).retryBackoff()).isZero();
  }

  @Test
  void should_name_a_bad_retry_count_backoff_or_consistency_level() {
    assertThatThrownBy(() -> SparkMain.sparkOptions(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc",
        "dc1", "--retry-backoff", "soon")))
        .hasMessage("Invalid --retry-backoff: 'soon' is not a duration (e.g. 30s, 500ms, 2m, PT1M)");
    assertThatThrownBy(() -> SparkMain.sparkOptions(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc",
        "dc1", "--retry-backoff", "2m")))
        .hasMessage("Invalid retry backoff: PT2M (must be 0 to PT1M)");
    assertThatThrownBy(() -> SparkMain.sparkOptions(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc",
        "dc1", "--max-retries", "-1")))
        .hasMessage("Invalid max retries: -1 (must be 0 to 100)");
    assertThatThrownBy(() -> SparkMain.sparkOptions(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc",
        "dc1", "--consistency", "serial")))
        .hasMessage("Invalid consistency level: SERIAL (range reads take ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, "
            + "LOCAL_QUORUM or EACH_QUORUM)");
    assertThatThrownBy(() -> SparkMain.sparkOptions(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc",
        "dc1", "--consistency", "most")))
        .hasMessageStartingWith("Invalid --consistency: 'most' (must be one of [ANY, ONE, TWO, THREE, QUORUM, ALL,")
        .hasMessageContaining("LOCAL_ONE");
    assertThat(SparkMain.sparkOptions(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1",
        "--consistency", "local_quorum")).consistencyLevel())
        .isEqualTo(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_QUORUM);
  }

  @Test
  void should_refuse_a_bad_option_value_before_running_naming_it() {
    String[] count = {"count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1"};
    String[] export = {"export", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet", "--target",
        "/p"};
    String[] importing = {"import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "iceberg",
        "--source", "/wh"};

    SparkMain.check(parse(count), NO_ENV::get);
    SparkMain.check(parse(with(export, "--compression", "SNAPPY")), NO_ENV::get);
    SparkMain.check(parse(with(importing, "--snapshot", "42", "--verify", "count")), NO_ENV::get);
    assertThat(SparkMain.compression(parse(with(export, "--compression", "none"))))
        .isEqualTo(dev.ringsweep.iceberg.ParquetCompression.NONE);
    assertThat(SparkMain.snapshot(parse(with(importing, "--snapshot", "42")))).isEqualTo(42L);

    assertThatThrownBy(() -> SparkMain.check(parse(with(count, "--tasks", "many")), NO_ENV::get))
        .hasMessage("Invalid --tasks: 'many' (must be a whole number)");
    assertThatThrownBy(() -> SparkMain.check(parse(with(count, "--max-rows-per-second", "0")), NO_ENV::get))
        .hasMessageStartingWith("Invalid read rate limit: 0.0 rows per second");
    assertThatThrownBy(() -> SparkMain.check(parse(with(export, "--compression", "lz4")), NO_ENV::get))
        .hasMessage("Invalid --compression: 'lz4' (must be one of [zstd, snappy, gzip, none])");
    assertThatThrownBy(() -> SparkMain.check(parse(with(importing, "--snapshot", "latest")), NO_ENV::get))
        .hasMessage("Invalid --snapshot: 'latest' (must be an Iceberg snapshot id, a whole number)");
    assertThatThrownBy(() -> SparkMain.check(parse(with(importing, "--verify", "all")), NO_ENV::get))
        .hasMessage("Invalid --verify: all (expected none, count or checksum)");
    assertThatThrownBy(() -> SparkMain.check(parse(with(count, "-u", "admin")), NO_ENV::get))
        .hasMessage("Missing password of user admin (set the environment variable RINGSWEEP_PASSWORD)");
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void should_exit_1_after_an_import_that_did_not_write_every_row_saying_where_those_rows_are() {
    dev.ringsweep.batch.BatchMetrics none = new dev.ringsweep.batch.BatchMetrics(0, 0, java.util.Map.of(), 0, 0, 0,
        java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ZERO, 0, 0, 0, 0);
    dev.ringsweep.imports.ImportResult clean = new dev.ringsweep.imports.ImportResult(10, 10, 0, 0, 0, null,
        java.time.Duration.ofSeconds(1), none, dev.ringsweep.imports.VerificationResult.notRun());
    dev.ringsweep.imports.ImportResult kept = new dev.ringsweep.imports.ImportResult(10, 7, 3, 2, 1,
        java.nio.file.Path.of("/bad.jsonl"), java.time.Duration.ofSeconds(1), none,
        dev.ringsweep.imports.VerificationResult.notRun());
    dev.ringsweep.imports.ImportResult lost = new dev.ringsweep.imports.ImportResult(10, 8, 2, 2, 0, null,
        java.time.Duration.ofSeconds(1), none, dev.ringsweep.imports.VerificationResult.notRun());

    assertThat(SparkMain.unlessFailed(clean, "10 rows imported")).isEqualTo("10 rows imported");
    assertThatThrownBy(() -> SparkMain.unlessFailed(kept, "7 rows imported"))
        .isInstanceOf(SparkMain.NotWritten.class)
        .hasMessage("3 rows were not written (2 bad records, 1 write failures); they are in /bad.jsonl")
        .satisfies(e -> assertThat(((SparkMain.NotWritten) e).line).isEqualTo("7 rows imported"));
    assertThatThrownBy(() -> SparkMain.unlessFailed(lost, "8 rows imported"))
        .hasMessage("2 rows were not written (2 bad records, 0 write failures); the bad records are in temporary "
            + "files of the executors' hosts, which the driver's log names (name a file with --bad-records FILE to "
            + "have them in one file)");
  }

  @Test
  void should_take_contact_points_and_data_center_from_the_environment() {
    Map<String, String> env = Map.of("RINGSWEEP_CONTACT_POINTS", "127.0.0.1", "RINGSWEEP_LOCAL_DC", "dc9");

    SparkArguments a = SparkArguments.parse(List.of("count", "-k", "ks", "-t", "t"), env::get);

    assertThat(a.contactPoints()).containsExactly("127.0.0.1:9042");
    assertThat(a.get("--local-dc")).isEqualTo("dc9");
  }

  @Test
  void should_verify_an_import_as_told_and_name_an_unknown_check() {
    String[] base = {"import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "iceberg", "--source",
        "/wh", "--iceberg-table", "db.t", "--verify"};
    assertThat(SparkMain.importOptions(parse(with(base, "checksum"))).verification())
        .isEqualTo(dev.ringsweep.imports.Verification.COUNT_AND_CHECKSUM);
    assertThat(SparkMain.importOptions(parse(with(base, "none"))).verification())
        .isEqualTo(dev.ringsweep.imports.Verification.NONE);
    assertThat(SparkMain.importOptions(parse(with(base, "COUNT"))).verification())
        .isEqualTo(dev.ringsweep.imports.Verification.COUNT);
    assertThatThrownBy(() -> SparkMain.importOptions(parse(with(base, "sum"))))
        .hasMessage("Invalid --verify: sum (expected none, count or checksum)");
  }

  @Test
  void should_write_and_verify_an_import_at_the_consistency_given_as_the_command_line_does() {
    String[] base = {"import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet", "--source",
        "/p"};
    assertThat(SparkMain.importOptions(parse(base)).consistencyLevel())
        .isEqualTo(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_QUORUM);
    assertThat(SparkMain.importOptions(parse(with(with(base, "--consistency"), "all"))).consistencyLevel())
        .isEqualTo(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.ALL);
  }

  @Test
  void should_take_an_error_budget_as_large_as_the_command_line_does_and_name_a_negative_one() {
    String[] base = {"import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet", "--source",
        "/p", "--max-errors"};
    assertThat(SparkMain.importOptions(parse(with(base, "3000000000"))).errorBudget().maxFailed())
        .isEqualTo(3_000_000_000L);
    assertThatThrownBy(() -> SparkMain.importOptions(parse(with(base, "-1"))))
        .hasMessage("Invalid --max-errors: -1 (must be >= 0)");
  }

  @Test
  void should_keep_an_import_checkpoint_and_resume_it_only_with_one() {
    String[] base = {"import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "iceberg", "--source",
        "/wh", "--iceberg-table", "db.t"};
    dev.ringsweep.imports.ImportOptions resumed =
        SparkMain.importOptions(parse(with(with(with(base, "--checkpoint"), "/tmp/cp.json"), "--resume")));
    assertThat(resumed.checkpointFile()).isEqualTo(java.nio.file.Path.of("/tmp/cp.json"));
    assertThat(resumed.resume()).isEqualTo(dev.ringsweep.export.Resume.RESUME);
    assertThatThrownBy(() -> SparkMain.importOptions(parse(with(base, "--resume"))))
        .hasMessageContaining("--resume needs --checkpoint FILE");
  }

  @Test
  void should_add_to_a_counter_table_holding_rows_only_when_told() {
    String[] base = {"import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "iceberg", "--source",
        "/wh", "--iceberg-table", "db.t"};
    assertThat(SparkMain.importOptions(parse(base)).counterTarget())
        .isEqualTo(dev.ringsweep.imports.CounterTarget.EMPTY_ONLY);
    assertThat(SparkMain.importOptions(parse(with(base, "--add-to-counters"))).counterTarget())
        .isEqualTo(dev.ringsweep.imports.CounterTarget.ADD_TO_EXISTING);
    assertThatThrownBy(() -> parse(new String[] {"count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1",
        "--add-to-counters"})).hasMessageContaining("--add-to-counters");
  }

  private static String[] with(String[] args, String last) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }

  @Test
  void should_default_the_port_of_every_kind_of_contact_point_as_the_command_line_does() {
    SparkArguments a = parse("count", "-k", "ks", "-t", "t", "--local-dc", "dc1", "-c",
        "10.1.2.3,db.example:19042, [::1]:9043,[fe80::1],::2,2001:db8::5");

    assertThat(a.contactPoints()).containsExactly("10.1.2.3:9042", "db.example:19042", "::1:9043", "fe80::1:9042",
        "::2:9042", "2001:db8::5:9042");
  }

  @Test
  void should_refuse_a_value_given_to_a_flag_an_option_given_twice_and_an_option_taken_for_a_value() {
    // --overwrite=false switched overwriting on until 2026-11-30, --no-hostname-validation=false the check off.
    assertThatThrownBy(() -> parse("export", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "iceberg",
        "--target", "/wh", "--overwrite=false"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid option '--overwrite=false': --overwrite is a flag and takes no value (give it to switch "
            + "it on, leave it out to leave it off)");
    assertThatThrownBy(() -> parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1",
        "--truststore", "/ts.p12", "--no-hostname-validation=false"))
        .hasMessageStartingWith("Invalid option '--no-hostname-validation=false'");
    assertThatThrownBy(() -> parse("count", "-k", "ks", "-t", "orders", "-t", "orders_copy", "-c", "h",
        "--local-dc", "dc1")).hasMessage("Option '-t' given twice (give it once)");
    assertThatThrownBy(() -> parse("export", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet",
        "--target", "--resume")).hasMessage("Missing value of option '--target'");
    assertThatThrownBy(() -> parse("count", "-k", "-t", "t")).hasMessage("Missing value of option '-k'");
  }

  @Test
  void should_name_what_is_wrong() {
    assertThatThrownBy(() -> parse("copy")).hasMessage("Unknown command: 'copy' (must be count, export or import)");
    assertThatThrownBy(() -> parse("count", "-k", "ks", "-t", "t", "--target", "/wh"))
        .hasMessage("Unknown option for count: '--target'");
    assertThatThrownBy(() -> parse("count", "-k", "ks", "-t", "t", "--local-dc", "dc1"))
        .hasMessage("Missing option --contact-points (or env RINGSWEEP_CONTACT_POINTS)");
    assertThatThrownBy(() -> parse("export", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "csv",
        "--target", "/x")).hasMessage("Invalid --format: csv (on Spark: iceberg or parquet)");
    assertThatThrownBy(() -> parse("export", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet"))
        .hasMessage("Missing option --target (the Parquet directory)");
    assertThatThrownBy(() -> parse("import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet",
        "--source", "/p", "--snapshot", "1")).hasMessage("Invalid option for -f parquet: --snapshot (Iceberg only)");
    assertThatThrownBy(() -> parse("count", "-k")).hasMessage("Missing value of option '-k'");
    assertThatThrownBy(() -> parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "--tasks", "x")
        .intValue("--tasks")).hasMessage("Invalid --tasks: 'x' (must be a whole number)");
  }

  @Test
  void should_connect_over_tls_with_the_store_passwords_from_the_environment_only() {
    SparkArguments a = parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "--truststore",
        "trust.p12", "--keystore=/etc/client.jks", "--no-hostname-validation");
    Map<String, String> env = Map.of("RINGSWEEP_TRUSTSTORE_PASSWORD", "trust-pw", "RINGSWEEP_KEYSTORE_PASSWORD",
        "key-pw");

    CassandraConnection connection = SparkMain.connection(a, env::get);

    assertThat(connection.tls()).isEqualTo(new CassandraConnection.Tls("trust.p12", "trust-pw", "/etc/client.jks",
        "key-pw", false));
    assertThat(connection.toString()).contains("trust.p12").doesNotContain("trust-pw").doesNotContain("key-pw");
    assertThat(SparkMain.connection(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1",
        "--truststore", "trust.p12"), env::get).tls().hostnameValidation()).isTrue();
    assertThat(SparkMain.connection(parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1"),
        env::get).tls()).isNull();
  }

  @Test
  void should_name_a_missing_store_password_and_a_hostname_option_without_tls() {
    SparkArguments trust = parse("export", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet",
        "--target", "/out", "--truststore", "trust.p12");
    SparkArguments key = parse("import", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1", "-f", "parquet",
        "--source", "/out", "--keystore", "client.jks");
    SparkArguments noTls = parse("count", "-k", "ks", "-t", "t", "-c", "h", "--local-dc", "dc1",
        "--no-hostname-validation");

    assertThatThrownBy(() -> SparkMain.connection(trust, NO_ENV::get)).hasMessage("Missing password of --truststore "
        + "trust.p12 (set the environment variable RINGSWEEP_TRUSTSTORE_PASSWORD)");
    assertThatThrownBy(() -> SparkMain.connection(key, NO_ENV::get)).hasMessage("Missing password of --keystore "
        + "client.jks (set the environment variable RINGSWEEP_KEYSTORE_PASSWORD)");
    assertThatThrownBy(() -> SparkMain.connection(noTls, NO_ENV::get)).hasMessage("Invalid option "
        + "--no-hostname-validation without --truststore or --keystore (it applies to TLS connections only)");
  }
}
