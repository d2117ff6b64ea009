package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage errors of the command line: exit code 2 and one line that names the bad option and value. No network. */
class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String firstErrorLine() {
    return err.toString().lines().findFirst().orElse("");
  }

  @Test
  void should_name_the_option_when_parallelism_is_not_positive() {
    assertThat(run("count", "-c", "127.0.0.1", "-k", "ks", "-t", "t", "--parallelism", "0")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--parallelism': 0 (must be > 0)");
  }

  @Test
  void should_name_the_option_and_value_when_a_count_rate_cap_is_not_positive_before_connecting() {
    // Port 1 on loopback refuses connections: a parse error must come first, naming the option and the value.
    for (String bad : new String[] {"0", "-5", "NaN"}) {
      err.getBuffer().setLength(0);
      assertThat(run("count", "-c", "127.0.0.1:1", "-k", "ks", "-t", "t", "--max-rows-per-second", bad))
          .as(bad).isEqualTo(2);
      assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--max-rows-per-second': Invalid "
          + "read rate limit: " + Double.parseDouble(bad)
          + " rows per second (must be at least 0.001, or infinity for no limit)");
    }
  }

  @Test
  void should_name_the_option_and_value_when_an_export_rate_cap_is_out_of_range_before_connecting() {
    for (String option : new String[] {"--max-rows-per-second", "--max-bytes-per-second"}) {
      String unit = option.contains("bytes") ? "bytes" : "rows";
      for (String bad : new String[] {"0", "-1", "NaN", "1e-9"}) {
        err.getBuffer().setLength(0);
        assertThat(run("export", "-c", "127.0.0.1:1", "-k", "ks", "-t", "t", "-f", "csv", "--target", "/tmp/x",
            option, bad)).as(option + " " + bad).isEqualTo(2);
        assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '" + option + "': Invalid read "
            + "rate limit: " + Double.parseDouble(bad) + " " + unit
            + " per second (must be at least 0.001, or infinity for no limit)");
      }
    }
  }

  @Test
  void should_name_the_option_and_value_when_write_requests_in_flight_are_absurd() {
    assertThat(run("import", "-c", "127.0.0.1:1", "-k", "ks", "-t", "t", "-f", "csv", "--source", "/tmp/x",
        "--max-in-flight", "1000000")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "ringsweep: Invalid value for option '--max-in-flight': 1000000 (must be between 1 and 32768)");
  }

  @Test
  void should_refuse_a_fixed_and_a_maximum_parallelism_together_naming_both() {
    assertThat(run("count", "-c", "127.0.0.1:1", "-k", "ks", "-t", "t", "--max-parallelism", "8", "--parallelism",
        "4")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Options '--parallelism' (4) and '--max-parallelism' (8) cannot "
        + "be combined: the first fixes the limit of range queries in flight, the second caps an adaptive one");
  }

  @Test
  void should_name_the_option_when_the_maximum_parallelism_is_not_positive() {
    assertThat(run("count", "-c", "127.0.0.1:1", "-k", "ks", "-t", "t", "--max-parallelism", "0")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--max-parallelism': 0 (must be > 0)");
  }

  @Test
  void should_name_the_option_when_parallelism_is_not_a_number() {
    assertThat(run("count", "-k", "ks", "-t", "t", "--parallelism", "many")).isEqualTo(2);
    assertThat(firstErrorLine()).contains("'--parallelism'").contains("'many'");
  }

  @Test
  void should_name_the_option_when_split_count_or_page_size_is_not_positive() {
    assertThat(run("count", "-k", "ks", "-t", "t", "--splits", "-3")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--splits': -3 (must be > 0)");
    err.getBuffer().setLength(0);
    assertThat(run("count", "-k", "ks", "-t", "t", "--page-size", "0")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--page-size': 0 (must be > 0)");
  }

  @Test
  void should_name_the_option_when_timeout_is_not_a_duration() {
    assertThat(run("count", "-k", "ks", "-t", "t", "--timeout", "5x")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "ringsweep: Invalid value for option '--timeout': '5x' is not a duration (e.g. 30s, 500ms, 2m, PT1M)");
  }

  @Test
  void should_reject_a_zero_timeout() {
    assertThat(run("count", "-k", "ks", "-t", "t", "--timeout", "0s")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("ringsweep: Invalid value for option '--timeout': PT0S (must be > 0 and at most PT1H)");
  }

  @Test
  void should_reject_a_timeout_over_an_hour() {
    assertThat(run("count", "-k", "ks", "-t", "t", "--timeout", "2h")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("ringsweep: Invalid value for option '--timeout': PT2H (must be > 0 and at most PT1H)");
  }

  @Test
  void should_refuse_a_consistency_level_that_range_reads_cannot_use() {
    assertThat(run("count", "-k", "ks", "-t", "t", "--consistency", "local_serial")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--consistency': LOCAL_SERIAL (range "
        + "reads take ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM or EACH_QUORUM)");
  }

  @Test
  void should_list_the_valid_levels_for_an_unknown_consistency_level() {
    assertThat(run("count", "-k", "ks", "-t", "t", "--consistency", "sometimes")).isEqualTo(2);
    assertThat(firstErrorLine()).contains("'--consistency'").contains("LOCAL_QUORUM").contains("'sometimes'");
  }

  @Test
  void should_accept_a_consistency_level_in_lower_case() {
    // Parsing succeeds; the command then fails for want of contact points, which proves it got past parsing.
    assumeTrue(System.getenv("RINGSWEEP_CONTACT_POINTS") == null, "RINGSWEEP_CONTACT_POINTS is set");
    assertThat(run("count", "-k", "ks", "-t", "t", "--consistency", "local_quorum")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Missing contact points");
  }

  @Test
  void should_name_the_contact_point_whose_port_is_invalid() {
    assertThat(run("count", "-k", "ks", "-t", "t", "-c", "10.0.0.1:9042,127.0.0.1:port")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--contact-points': "
        + "'127.0.0.1:port' (port 'port' is not in 1..65535; expected HOST[:PORT], e.g. 127.0.0.1:9042)");
  }

  @Test
  void should_require_keyspace_and_table_for_count() {
    assertThat(run("count", "-c", "127.0.0.1")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Missing required options").contains("--keyspace")
        .contains("--table");
  }

  @Test
  void should_reject_a_negative_row_count_for_the_main_job() {
    assertThat(run("--rows", "-1")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--rows': -1 (must be >= 0)");
  }

  @Test
  void should_require_a_checkpoint_to_resume_an_import_naming_the_options() {
    assertThat(run("import", "-c", "127.0.0.1", "-k", "ks", "-t", "t", "-f", "csv", "--source", "/tmp/x",
        "--resume")).isEqualTo(2);
    assertThat(firstErrorLine())
        .isEqualTo("ringsweep: Missing option: --resume needs --checkpoint FILE (the checkpoint of the import to "
            + "continue)");
  }

  @Test
  void should_refuse_contact_points_for_the_main_job_and_for_demo_without_external_cluster() {
    assertThat(run("-c", "127.0.0.1", "--rows", "10")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: The main job runs on an embedded node of its own");
  }

  @Test
  void should_say_that_an_option_given_before_the_subcommand_belongs_after_it() {
    assertThat(run("-c", "127.0.0.1", "count", "-k", "ks", "-t", "t")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "ringsweep: Option '--contact-points' goes after the subcommand: ringsweep count --contact-points …");
  }

  @Test
  void should_reject_a_name_that_is_not_a_cql_identifier_as_a_usage_error() {
    assertThat(run("count", "-c", "127.0.0.1", "-k", "my keyspace", "-t", "t")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Invalid value for option '--keyspace': 'my keyspace' (a CQL "
        + "name:");
    err.getBuffer().setLength(0);
    assertThat(run("count", "-c", "127.0.0.1", "-k", "\"MyKs\"", "-t", "x;drop")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Invalid value for option '--table': 'x;drop'");
  }

  @Test
  void should_bound_the_parallelism() {
    assertThat(run("count", "-c", "127.0.0.1", "-k", "ks", "-t", "t", "--parallelism", "1000000")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--parallelism': 1000000 (must be 1 "
        + "to 32768; the default follows the nodes of the local data center)");
  }

  @Test
  void should_name_command_line_options_not_api_names_in_errors() {
    assertThat(run("import", "-c", "127.0.0.1", "-k", "ks", "-t", "t", "-f", "csv", "--source", "/tmp/x",
        "--max-in-flight", "0")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Invalid value for option '--max-in-flight': 0");
    assertThat(CliWords.translate("2 rows were overwritten; import with Verification.NONE when overwriting is "
        + "intended")).isEqualTo("2 rows were overwritten; import with --verify none when overwriting is intended");
  }

  @Test
  void should_never_print_a_password_given_on_the_command_line() {
    for (String[] given : new String[][] {{"-p", "s3cret"}, {"--password", "s3cret"}, {"--password=s3cret"},
        {"-ps3cret"}, {"-p=s3cret"}, {"-p", "-s3cret"}}) {
      err.getBuffer().setLength(0);
      List<String> args = new ArrayList<>(List.of("count", "-c", "127.0.0.1:1", "-k", "ks", "-t", "t", "-u", "bob"));
      args.addAll(List.of(given));

      assertThat(run(args.toArray(String[]::new))).as(String.join(" ", given)).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", given)).doesNotContain("s3cret");
      assertThat(firstErrorLine()).as(String.join(" ", given)).contains("'(hidden)'")
          .endsWith("(-p takes no value: it prompts for the password on the terminal; or set RINGSWEEP_PASSWORD)");
    }
  }

  @Test
  void should_reject_an_unknown_subcommand_or_option() {
    assertThat(run("cout")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Unmatched argument").contains("'cout'");
  }

  @Test
  void should_print_help_that_lists_the_subcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: ringsweep").contains("count").contains("--contact-points");
  }

  @Test
  void should_print_the_options_of_count_in_its_help() {
    assertThat(run("count", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: ringsweep count").contains("--keyspace").contains("--parallelism")
        .contains("--consistency").contains("--page-size").contains("--timeout").contains("--splits")
        .contains("--local-dc").contains("--username").contains("--password");
  }

  @Test
  void should_name_the_compression_that_does_not_fit_the_format() {
    assertThat(run("export", "-k", "ks", "-t", "t", "-f", "parquet", "--target", "out", "--compression", "lz4"))
        .isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "ringsweep: Invalid value for option '--compression': 'lz4' (for parquet: one of zstd, snappy, gzip, none)");
    err.getBuffer().setLength(0);
    assertThat(run("export", "-k", "ks", "-t", "t", "-f", "csv", "--target", "out", "--compression", "zstd"))
        .isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "ringsweep: Invalid value for option '--compression': 'zstd' (for csv: one of none, gzip)");
  }

  @Test
  void should_reject_iceberg_options_for_a_file_format() {
    assertThat(run("export", "-k", "ks", "-t", "t", "-f", "csv", "--target", "out", "--overwrite")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "ringsweep: Invalid option for format CSV: --iceberg-table and --overwrite apply to iceberg only");
  }

  @Test
  void should_require_a_format_and_a_target_for_export() {
    assertThat(run("export", "-k", "ks", "-t", "t")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Missing required options").contains("--format")
        .contains("--target");
  }

  @Test
  void should_name_the_option_when_writers_is_not_positive() {
    assertThat(run("export", "-k", "ks", "-t", "t", "-f", "json", "--target", "out", "--writers", "0"))
        .isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--writers': 0 (must be 1 to 1024)");
  }

  @Test
  void should_name_the_option_of_a_bad_error_budget_rate_or_column_list() {
    assertThat(run("import", "-k", "ks", "-t", "t", "-f", "csv", "--source", "in", "--max-errors", "-1"))
        .isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--max-errors': -1 (must be >= 0)");
    err.getBuffer().setLength(0);
    assertThat(run("import", "-k", "ks", "-t", "t", "-f", "csv", "--source", "in", "--max-rows-per-second", "0"))
        .isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Invalid value for option '--max-rows-per-second': 0.0");
    err.getBuffer().setLength(0);
    assertThat(run("export", "-k", "ks", "-t", "t", "-f", "json", "--target", "out", "--columns", " "))
        .isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Invalid value for option '--columns': Invalid column name: "
        + "' '");
  }

  @Test
  void should_say_how_much_earlier_runs_exported_when_an_export_was_resumed() {
    dev.ringsweep.export.ExportResult fresh = new dev.ringsweep.export.ExportResult(100, 1_048_576, 2, 64, 0,
        java.time.Duration.ofSeconds(2));
    dev.ringsweep.export.ExportResult resumed = new dev.ringsweep.export.ExportResult(100, 1_048_576, 2, 64, 12,
        java.time.Duration.ofSeconds(2));

    assertThat(ExportCommand.summary(fresh, "ks.t", "/out", "parquet"))
        .isEqualTo("100 rows exported from ks.t to /out as parquet (2 files, 1.0 MiB, 2.00 s, 50 rows/s)");
    assertThat(ExportCommand.summary(resumed, "ks.t", "/out", "parquet"))
        .isEqualTo("100 rows exported from ks.t to /out as parquet (2 files, 1.0 MiB, 2.00 s, 50 rows/s); resumed: "
            + "12 of 64 token ranges were exported by earlier runs, their rows not counted here");
  }

  @Test
  void should_reject_iceberg_options_for_a_file_source() {
    assertThat(run("import", "-k", "ks", "-t", "t", "-f", "parquet", "--source", "in", "--snapshot", "42"))
        .isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo(
        "ringsweep: Invalid option for format PARQUET: --iceberg-table and --snapshot apply to iceberg only");
  }

  @Test
  void should_name_an_unknown_batch_mode_or_verification() {
    assertThat(run("import", "-k", "ks", "-t", "t", "-f", "csv", "--source", "in", "--batch", "huge")).isEqualTo(2);
    assertThat(firstErrorLine()).contains("'--batch'").contains("UNLOGGED").contains("'huge'");
    err.getBuffer().setLength(0);
    assertThat(run("import", "-k", "ks", "-t", "t", "-f", "csv", "--source", "in", "--verify", "all")).isEqualTo(2);
    assertThat(firstErrorLine()).contains("'--verify'").contains("CHECKSUM").contains("'all'");
  }

  @Test
  void should_pass_on_the_library_check_of_a_bad_import_option_naming_the_option() {
    assertThat(run("import", "-k", "ks", "-t", "t", "-f", "csv", "--source", "in", "--readers", "0")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("ringsweep: Invalid value for option '--readers': 0 (must be > 0)");
  }

  @Test
  void should_require_a_format_and_a_source_for_import() {
    assertThat(run("import", "-k", "ks", "-t", "t")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("ringsweep: Missing required options").contains("--format")
        .contains("--source");
  }

  @Test
  void should_report_a_failure_on_one_line_with_the_cause_message() {
    IllegalStateException e = new IllegalStateException(null,
        new IllegalArgumentException("first line\n   second line"));
    assertThat(Main.oneLine(e)).isEqualTo("first line second line");
  }
}
