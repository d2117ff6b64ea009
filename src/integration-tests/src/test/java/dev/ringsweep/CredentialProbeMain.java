package dev.ringsweep;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.testing.SelfSignedTls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM of {@link SecureClusterIT}, run with every logger at DEBUG: connects with TLS and a password, counts a
 * table, exports it to Iceberg, Parquet and JSON lines (with checkpoints), imports the Parquet export into a copy
 * table (with a checkpoint), and tries a wrong password, printing
 * what it did. The test then searches everything this process printed and wrote for the credentials. Secrets come
 * from environment variables, never from the command line.
 */
final class CredentialProbeMain {

  private CredentialProbeMain() {}

  public static void main(String[] args) {
    String host = System.getenv("PROBE_HOST");
    Path out = Path.of(System.getenv("PROBE_OUT"));
    SelfSignedTls tls = new SelfSignedTls(null, Path.of(System.getenv("PROBE_TRUSTSTORE")),
        System.getenv("PROBE_TRUST_PASSWORD"));
    String user = System.getenv("PROBE_USER");
    String password = System.getenv("PROBE_PASSWORD");
    String keyspace = args[0];
    String table = args[1];
    try (CqlSession session = SecureClusterIT.sessionBuilder(new InetSocketAddress(host, 9042), tls)
        .withAuthCredentials(user, password).build()) {
      TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
      CountResult count = operator.count(keyspace, table);
      System.out.println("probe: rows=" + count.rows());
      ExportOptions options = ExportOptions.defaults().withCheckpointInterval(Duration.ZERO);
      report("iceberg", operator.export(keyspace, table, ExportTargets.iceberg(out.resolve("warehouse"), "db.t"),
          options));
      report("parquet", operator.export(keyspace, table, ExportTargets.parquet(out.resolve("parquet")), options));
      report("json", operator.export(keyspace, table, ExportTarget.jsonLines(out.resolve("json")),
          options.withResume(Resume.RESUME)));
      // The copy table is made by the test; the import records a checkpoint and would write bad records here.
      ImportResult imported = operator.importFrom(ImportSources.parquet(out.resolve("parquet")), keyspace,
          table + "_probe_copy", ImportOptions.defaults().withCheckpointFile(out.resolve("import-checkpoint.json"))
              .withBadRecordsFile(out.resolve("import-bad-records.jsonl")));
      System.out.println("probe: import rows=" + imported.rows());
    }
    CqlSessionBuilder wrong = SecureClusterIT.sessionBuilder(new InetSocketAddress(host, 9042), tls)
        .withAuthCredentials(user, System.getenv("PROBE_WRONG_PASSWORD"));
    try (CqlSession ignored = wrong.build()) {
      System.out.println("probe: the wrong password was accepted");
      System.exit(2);
    } catch (RuntimeException e) {
      System.out.println("probe: wrong password refused: " + e);
    }
    System.out.println("probe: done");
  }

  private static void report(String format, ExportResult result) {
    System.out.println("probe: " + format + " rows=" + result.rows());
  }
}
