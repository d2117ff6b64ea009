package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerClasspathIT {

  @Test
  void should_resolve_again_when_a_cached_jar_is_missing(@TempDir Path cache) throws Exception {
    String version = ServerClasspath.configuredVersion();
    Path cacheFile = cache.resolve("cassandra-" + version + ".classpath");
    Files.writeString(cacheFile, cache.resolve("gone/cassandra-all.jar").toString());

    List<Path> jars = ServerClasspath.resolve(version, cache);

    assertThat(jars).anySatisfy(jar -> assertThat(jar.getFileName().toString())
        .isEqualTo("cassandra-all-" + version + ".jar"));
    assertThat(jars).allSatisfy(jar -> assertThat(jar).isRegularFile());
    assertThat(ServerClasspath.parse(Files.readString(cacheFile))).isEqualTo(jars);
  }

  @Test
  void should_keep_the_driver_and_the_server_apart() {
    List<Path> jars = ServerClasspath.resolve(ServerClasspath.configuredVersion());

    assertThat(jars).noneSatisfy(jar -> assertThat(jar.getFileName().toString()).startsWith("java-driver-core"));
    assertThat(System.getProperty("java.class.path")).doesNotContain("cassandra-all");
  }
}
