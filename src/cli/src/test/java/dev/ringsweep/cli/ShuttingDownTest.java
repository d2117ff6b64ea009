package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Main#shuttingDown()}, which keeps {@code main} from racing a signal's exit code with its own: false while the
 * JVM runs, true once its shutdown hooks have started. Checked in a JVM of its own ({@link ShutdownProbe}), since this
 * one must not shut down. No network.
 */
class ShuttingDownTest {

  @Test
  void should_say_false_while_the_jvm_runs_and_true_once_its_shutdown_hooks_have_started() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ShutdownProbe.class.getName()).redirectErrorStream(true).start();
    assertThat(probe.waitFor(1, TimeUnit.MINUTES)).as("the probe JVM exited").isTrue();
    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(probe.exitValue()).as(output).isZero();
    assertThat(output.lines()).as(output).containsExactly("running: false", "in a hook: true");
  }
}
