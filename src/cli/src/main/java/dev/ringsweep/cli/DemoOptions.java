package dev.ringsweep.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options of the main job (the bare command and {@code ringsweep demo}): its size and its Iceberg warehouse. */
final class DemoOptions {

  @Spec(Spec.Target.MIXEE)
  private CommandSpec spec;

  private long rows = 200_000;

  @Option(names = "--export-dir", paramLabel = "DIR", defaultValue = "target/ringsweep-demo/warehouse",
      description = "Iceberg warehouse of the main job's export (default ${DEFAULT-VALUE}).")
  private Path exportDir;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "${sys:ringsweep.demo.rows:-200000}",
      description = "Rows of the sample table (default ${DEFAULT-VALUE}).")
  void rows(long value) {
    if (value < 0) {
      throw new ParameterException(spec.commandLine(),
          String.format("Invalid value for option '--rows': %s (must be >= 0)", value));
    }
    rows = value;
  }

  long rows() {
    return rows;
  }

  Path exportDir() {
    return exportDir;
  }
}
