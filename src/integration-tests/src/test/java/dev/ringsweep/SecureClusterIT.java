package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import dev.ringsweep.cluster.Authentication;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.export.ExportReaders;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.testing.SelfSignedTls;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Count, export and import against a node that requires TLS (client_encryption_options with a self-signed keystore made by
 * the test) and passwords (PasswordAuthenticator): results are exact over an SSL session, bad credentials and
 * missing permissions fail clearly, and no credential ends up in logs, checkpoints or exported metadata.
 *
 * <p>The node is this class's own (host index {@value #HOST_INDEX}), closed after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureClusterIT {

  private static final int HOST_INDEX = 30;
  private static final String KS = "secure_ks";
  private static final int ROWS = 5_000;
  private static final String READER = "bulk_reader";
  private static final String NO_SELECT = "no_select";
  private static final String NO_MODIFY = "no_modify";

  // Distinctive secrets, searched for verbatim in everything written.
  private final String readerPassword = "Rdr-" + UUID.randomUUID();
  private final String noSelectPassword = "Nsl-" + UUID.randomUUID();
  private final String noModifyPassword = "Nmd-" + UUID.randomUUID();
  private final String storePassword = "Tls-" + UUID.randomUUID();

  @TempDir static Path dir;

  private LocalCluster cluster;
  private SelfSignedTls tls;
  private InetSocketAddress contactPoint;
  private CqlSession admin;

  @BeforeAll
  void startCluster() {
    TestClusters.assumeChildJvms("start nodes with TLS and passwords");
    LocalCluster.Builder builder = LocalCluster.builder().clusterName("secure").firstHostIndex(HOST_INDEX)
        .authentication(Authentication.PASSWORD);
    var node = builder.build().nodes().get(0);
    tls = SelfSignedTls.generate(dir.resolve("tls"), node.address(), storePassword);
    contactPoint = node.nativeAddress();
    cluster = builder.yaml("client_encryption_options", tls.clientEncryptionOptions()).build().start();
    admin = sessionBuilder(contactPoint, tls).withAuthCredentials("cassandra", "cassandra").build();
    execute("CREATE KEYSPACE " + KS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    execute("CREATE TABLE " + KS + ".t (id bigint PRIMARY KEY, name text, amount decimal)");
    var insert = admin.prepare("INSERT INTO " + KS + ".t (id, name, amount) VALUES (?, ?, ?)");
    TestData.write(admin, ROWS, i -> insert.bind(i, "name " + i, BigDecimal.valueOf(i, 2)));
    execute("CREATE ROLE " + READER + " WITH PASSWORD = '" + readerPassword + "' AND LOGIN = true");
    execute("GRANT SELECT ON KEYSPACE " + KS + " TO " + READER);
    execute("GRANT MODIFY ON KEYSPACE " + KS + " TO " + READER);
    execute("CREATE ROLE " + NO_SELECT + " WITH PASSWORD = '" + noSelectPassword + "' AND LOGIN = true");
    execute("CREATE ROLE " + NO_MODIFY + " WITH PASSWORD = '" + noModifyPassword + "' AND LOGIN = true");
    execute("GRANT SELECT ON KEYSPACE " + KS + " TO " + NO_MODIFY);
  }

  @AfterAll
  void stopCluster() {
    if (admin != null) {
      admin.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * A session builder for the TLS node: the SSL context trusts only the node's self-signed certificate, and the
   * host name (here the node's IP address, in the certificate's subject alternative names) is verified.
   */
  static CqlSessionBuilder sessionBuilder(InetSocketAddress contactPoint, SelfSignedTls tls) {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .build();
    CqlSessionBuilder builder = CqlSession.builder().addContactPoint(contactPoint).withLocalDatacenter("dc1")
        .withConfigLoader(config);
    return tls == null ? builder
        : builder.withSslEngineFactory(tls.engineFactory());
  }

  private CqlSession reader() {
    return sessionBuilder(contactPoint, tls).withAuthCredentials(READER, readerPassword).build();
  }

  private void execute(String cql) {
    admin.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  @Test
  void should_count_and_export_exactly_over_tls_with_password_authentication() {
    try (CqlSession session = reader()) {
      TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();

      assertThat(operator.count(KS, "t").rows()).isEqualTo(ROWS);
      ExportResult iceberg = operator.export(KS, "t", ExportTargets.iceberg(dir.resolve("wh"), "db.t"));
      ExportResult parquet = operator.export(KS, "t", ExportTargets.parquet(dir.resolve("parquet")));

      assertThat(iceberg.rows()).isEqualTo(ROWS);
      assertThat(parquet.rows()).isEqualTo(ROWS);
      assertSameAsSource(ExportReaders.iceberg(dir.resolve("wh"), "db.t", columns()));
      assertSameAsSource(ExportReaders.parquet(dir.resolve("parquet"), columns()));
    }
  }

  @Test
  void should_import_exactly_over_tls_with_password_authentication() {
    execute("CREATE TABLE " + KS + ".copy (id bigint PRIMARY KEY, name text, amount decimal)");
    Path source = dir.resolve("import-source");
    try (CqlSession session = reader()) {
      TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
      operator.export(KS, "t", ExportTargets.iceberg(source, "db.t"));

      ImportResult imported = operator.importFrom(ImportSources.iceberg(source, "db.t"), KS, "copy",
          ImportOptions.defaults().withCheckpointFile(dir.resolve("import-checkpoint.json")));

      assertThat(imported.rows()).isEqualTo(ROWS);
      assertThat(imported.failed()).isZero();
    }
    assertSameAsSource(tableRows("copy"));
  }

  @Test
  void should_fail_an_import_naming_the_missing_permission_when_the_role_may_not_modify() {
    execute("CREATE TABLE " + KS + ".denied_copy (id bigint PRIMARY KEY, name text, amount decimal)");
    Path source = dir.resolve("denied-source");
    try (CqlSession session =
        sessionBuilder(contactPoint, tls).withAuthCredentials(NO_MODIFY, noModifyPassword).build()) {
      TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
      operator.export(KS, "t", ExportTargets.parquet(source));

      BulkOperationException failure = catchThrowableOfType(BulkOperationException.class,
          () -> operator.importFrom(ImportSources.parquet(source), KS, "denied_copy"));

      assertThat(failure).isNotNull();
      assertThat(failure.getMessage()).contains("into " + KS + ".denied_copy failed after 0 rows written",
          "User " + NO_MODIFY + " has no MODIFY permission on <table " + KS + ".denied_copy>");
      assertThat(failure.getCause()).isInstanceOf(UnauthorizedException.class);
      assertThat(failure.partialResult(ImportResult.class).rows()).isZero();
    }
    assertThat(tableRows("denied_copy")).isEmpty();
  }

  @Test
  void should_count_from_the_command_line_over_tls_with_every_password_from_the_environment() {
    String[] args = {"count", "-k", KS, "-t", "t", "-c", contactPoint.getAddress().getHostAddress() + ":"
        + contactPoint.getPort(), "--local-dc", "dc1", "-u", READER, "--truststore", tls.truststore().toString(),
        "--no-progress"};
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();

    int code = dev.ringsweep.cli.Main.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
        java.util.Map.of("RINGSWEEP_PASSWORD", readerPassword, "RINGSWEEP_TRUSTSTORE_PASSWORD", storePassword)::get);

    assertThat(code).as("%s%s", out, err).isZero();
    assertThat(out.toString()).contains(ROWS + " rows");
    assertThat(out.toString() + err).doesNotContain(readerPassword).doesNotContain(storePassword);

    // The same without the trust store's password: refused before connecting, naming the variable.
    java.io.StringWriter noPassword = new java.io.StringWriter();
    int refused = dev.ringsweep.cli.Main.run(args, new java.io.PrintWriter(new java.io.StringWriter(), true),
        new java.io.PrintWriter(noPassword, true), java.util.Map.of("RINGSWEEP_PASSWORD", readerPassword)::get);
    assertThat(refused).isEqualTo(2);
    assertThat(noPassword.toString()).contains("Missing password of --truststore " + tls.truststore()
        + " (set the environment variable RINGSWEEP_TRUSTSTORE_PASSWORD)");
  }

  @Test
  void should_not_connect_without_tls_to_a_node_that_requires_it() {
    CqlSessionBuilder plain = sessionBuilder(contactPoint, null).withAuthCredentials(READER, readerPassword);

    AllNodesFailedException failure = catchThrowableOfType(AllNodesFailedException.class, () -> plain.build().close());

    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains(contactPoint.getAddress().getHostAddress());
  }

  @Test
  void should_fail_with_a_clear_error_for_a_wrong_password_without_showing_it() {
    String wrong = "Wrong-" + UUID.randomUUID();
    CqlSessionBuilder builder = sessionBuilder(contactPoint, tls).withAuthCredentials(READER, wrong);

    AllNodesFailedException failure = catchThrowableOfType(AllNodesFailedException.class,
        () -> builder.build().close());

    assertThat(failure).isNotNull();
    List<Throwable> errors = failure.getAllErrors().values().stream().flatMap(List::stream).toList();
    assertThat(errors).isNotEmpty().allSatisfy(error -> assertThat(error)
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Provided username " + READER + " and/or password are incorrect"));
    assertThat(failure.getMessage()).contains("and/or password are incorrect").doesNotContain(wrong);
  }

  @Test
  void should_fail_with_a_clear_error_and_write_nothing_when_the_role_may_not_select() {
    Path target = dir.resolve("denied");
    try (CqlSession session =
        sessionBuilder(contactPoint, tls).withAuthCredentials(NO_SELECT, noSelectPassword).build()) {
      TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();

      UnauthorizedException count = catchThrowableOfType(UnauthorizedException.class, () -> operator.count(KS, "t"));
      UnauthorizedException export = catchThrowableOfType(UnauthorizedException.class,
          () -> operator.export(KS, "t", ExportTargets.parquet(target)));

      String denied = "User " + NO_SELECT + " has no SELECT permission on <table " + KS + ".t>";
      assertThat(count).hasMessageContaining(denied);
      assertThat(export).hasMessageContaining(denied);
      assertThat(target).doesNotExist();
    }
  }

  @Test
  void should_never_write_credentials_to_logs_checkpoints_or_exported_metadata() throws Exception {
    execute("CREATE TABLE " + KS + ".t_probe_copy (id bigint PRIMARY KEY, name text, amount decimal)");
    Path out = dir.resolve("probe");
    Path log = dir.resolve("probe.log");
    String wrongPassword = "Wrong-" + UUID.randomUUID();
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
        "-Dorg.slf4j.simpleLogger.log.org.apache.iceberg=debug",
        "-Dorg.slf4j.simpleLogger.log.org.apache.parquet=debug",
        CredentialProbeMain.class.getName(), KS, "t"));
    ProcessBuilder probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = probe.environment();
    env.put("PROBE_HOST", contactPoint.getAddress().getHostAddress());
    env.put("PROBE_OUT", out.toString());
    env.put("PROBE_TRUSTSTORE", tls.truststore().toString());
    env.put("PROBE_TRUST_PASSWORD", storePassword);
    env.put("PROBE_USER", READER);
    env.put("PROBE_PASSWORD", readerPassword);
    env.put("PROBE_WRONG_PASSWORD", wrongPassword);
    Process process = probe.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("probe finished").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("probe exit code; output:%n%s", tail(output)).isZero();

    // The probe really did everything, with debug logging on for this library, the driver, Iceberg and Parquet.
    assertThat(output).contains("probe: rows=" + ROWS, "probe: iceberg rows=" + ROWS, "probe: parquet rows=" + ROWS,
        "probe: json rows=" + ROWS, "probe: import rows=" + ROWS, "probe: wrong password refused", "probe: done");
    assertThat(output).contains("DEBUG dev.ringsweep.", "DEBUG com.datastax.oss.driver.", "DEBUG org.apache.iceberg.");
    assertThat(output).doesNotContain(readerPassword, wrongPassword, storePassword);

    List<Path> written = regularFiles(out);
    assertThat(written).anySatisfy(p -> assertThat(p.toString()).endsWith("_ringsweep_checkpoint.json"))
        .anySatisfy(p -> assertThat(p.toString()).contains("_ringsweep_checkpoints"))
        .anySatisfy(p -> assertThat(p.toString()).endsWith("import-checkpoint.json"))
        .anySatisfy(p -> assertThat(p.toString()).endsWith(".metadata.json"))
        .anySatisfy(p -> assertThat(p.toString()).endsWith("catalog.db"))
        .anySatisfy(p -> assertThat(p.toString()).endsWith(".parquet"));
    for (Path file : written) {
      String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(content).as("content of %s", file)
          .doesNotContain(readerPassword, wrongPassword, storePassword, READER);
    }
    List<Map<String, String>> footers = new ArrayList<>();
    for (Path file : written.stream().filter(p -> p.toString().endsWith(".parquet")).toList()) {
      try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
        Map<String, String> metadata = footer.getFileMetaData().getKeyValueMetaData();
        assertThat(metadata).isNotEmpty();
        footers.add(metadata);
        assertThat(metadata.toString()).doesNotContain(readerPassword, storePassword, READER);
      }
    }
    // Parquet files of a directory target carry the CQL types; Iceberg's data files carry the Iceberg schema.
    assertThat(footers).anySatisfy(m -> assertThat(m).containsKey("ringsweep.cql.source"))
        .anySatisfy(m -> assertThat(m).containsKey("iceberg.schema"));
  }

  /** Every row of a table of this keyspace, columns in the table's order. */
  private List<Object[]> tableRows(String table) {
    String names = String.join(", ", columns().stream().map(CqlColumn::name).toList());
    List<Object[]> rows = new ArrayList<>();
    for (Row r : admin.execute(SimpleStatement.newInstance("SELECT " + names + " FROM " + KS + "." + table)
        .setTimeout(Duration.ofSeconds(60)))) {
      Object[] values = new Object[r.getColumnDefinitions().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = r.getObject(i);
      }
      rows.add(values);
    }
    return rows;
  }

  private static List<Path> regularFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static String tail(String output) {
    return output.substring(Math.max(0, output.length() - 4000));
  }

  private List<CqlColumn> columns() {
    return admin.getMetadata().getKeyspace(KS).orElseThrow().getTable("t").orElseThrow().getColumns().values()
        .stream().map(c -> new CqlColumn(c.getName().asInternal(), c.getType())).toList();
  }

  /**
   * Compares exported rows (columns in the table's order, the key first) with the table, value by value: none
   * missing, none twice.
   */
  private void assertSameAsSource(List<Object[]> exported) {
    String names = String.join(", ", columns().stream().map(CqlColumn::name).toList());
    Map<Object, List<Object>> source = new HashMap<>();
    for (Row r : admin.execute(SimpleStatement.newInstance("SELECT " + names + " FROM " + KS + ".t")
        .setTimeout(Duration.ofSeconds(60)))) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.getColumnDefinitions().size(); i++) {
        values.add(r.getObject(i));
      }
      source.put(values.get(0), values);
    }
    assertThat(source).hasSize(ROWS);
    assertThat(exported).hasSize(ROWS);
    for (Object[] row : exported) {
      List<Object> expected = source.remove(row[0]);
      assertThat(expected).as("unexpected or duplicate row %s", row[0]).isNotNull();
      assertThat(List.of(row)).as("row %s", row[0]).isEqualTo(expected);
    }
    assertThat(source).isEmpty();
  }
}
