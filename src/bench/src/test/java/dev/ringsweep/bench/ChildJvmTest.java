package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM run under the probe reports its exit code, output, CPU time and peak RSS. */
class ChildJvmTest {

  /** A program that holds ~150 MiB, burns some CPU, prints, and exits with code 3. */
  public static final class Busy {
    /** Entry point. */
    public static void main(String[] args) {
      byte[][] blocks = new byte[150][];
      for (int i = 0; i < blocks.length; i++) {
        blocks[i] = new byte[1 << 20];
        java.util.Arrays.fill(blocks[i], (byte) i);
      }
      long end = System.nanoTime() + 400_000_000L;
      long x = 0;
      while (System.nanoTime() < end) {
        x += Long.numberOfTrailingZeros(x + blocks.length);
      }
      System.out.println("busy " + args[0] + " " + (x > 0 ? "" : "") + blocks[149][0]);
      System.exit(3);
    }
  }

  @Test
  void should_measure_cpu_and_peak_rss_of_a_child_and_keep_its_exit_code(@TempDir Path dir) {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc");
    ChildJvm children = new ChildJvm(dir, List.of("-Xmx512m"));
    List<Path> classpath = List.of(Path.of(Busy.class.getProtectionDomain().getCodeSource().getLocation().getPath()));
    ChildJvm.Run run = children.run("busy", classpath, Busy.class.getName(), List.of("hello"), List.of(), 5);
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.output()).isEqualTo("busy hello -107\n");
    assertThat(run.cpuSeconds()).isGreaterThan(0.3);
    assertThat(run.peakRssMb()).isGreaterThan(150);
    assertThat(run.wallSeconds()).isGreaterThan(0.4);
  }

  @Test
  void should_find_this_jvms_classes_on_its_own_classpath() {
    assertThat(ChildJvm.ownClasspath()).anyMatch(p -> Files.isDirectory(p.resolve("dev/ringsweep/bench")));
  }
}
