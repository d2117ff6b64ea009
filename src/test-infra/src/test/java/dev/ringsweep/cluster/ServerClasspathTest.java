package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerClasspathTest {

  @Test
  void should_split_a_classpath_into_jars() {
    String classpath = String.join(File.pathSeparator, "/m2/a.jar", "/m2/b.jar") + "\n";

    assertThat(ServerClasspath.parse(classpath)).containsExactly(Path.of("/m2/a.jar"), Path.of("/m2/b.jar"));
  }

  @Test
  void should_reject_a_version_that_is_not_a_plain_version_string() {
    assertThatThrownBy(() -> ServerClasspath.resolve("5.0.9</version>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid Cassandra version: 5.0.9</version> (expected e.g. 5.0.9)");
  }
}
