package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A result that cannot be written to standard output (a full disk, a closed pipe) is a failure: the command line's
 * own JVM, its output sent to {@code /dev/full} (every write fails with "No space left on device"). No network.
 */
class FullOutputTest {

  @Test
  void should_exit_1_when_its_result_cannot_be_written_to_standard_output() throws Exception {
    File full = new File("/dev/full");
    assumeTrue(full.exists(), "this test needs /dev/full (Linux)");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process cli = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--version").redirectOutput(full).start();
    assertThat(cli.waitFor(1, TimeUnit.MINUTES)).as("the command line exited").isTrue();
    String err = new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(cli.exitValue()).as(err).isEqualTo(1);
    assertThat(err).contains("ringsweep: the result could not be written to standard output");

    Process fine = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--version").start();
    assertThat(fine.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(fine.exitValue()).isZero();
    assertThat(new String(fine.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isNotBlank();
  }
}
