package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerJavaTest {

  @TempDir
  Path dir;

  /** A fake JDK home: a release file with {@code version} and an executable bin/java. */
  private Path jdk(String name, String version) throws IOException {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  @Test
  void should_run_the_nodes_on_this_jvm_when_it_is_java_17() throws IOException {
    Path current = jdk("current", "17.0.15");
    jdk("other-17", "17.0.2");
    assertThat(ServerJava.resolve(null, Map.<String, String>of()::get, current, 17, List.of(dir)))
        .isEqualTo(current.resolve("bin/java"));
  }

  @Test
  void should_find_a_java_17_when_this_jvm_is_newer() throws IOException {
    Path current = jdk("temurin-25", "25.0.1");
    jdk("java-11-openjdk", "11.0.20");
    Path seventeen = jdk("java-17-openjdk", "17.0.15");
    jdk("java-21-openjdk", "21.0.4");
    assertThat(ServerJava.resolve(null, Map.<String, String>of()::get, current, 25, List.of(dir)))
        .isEqualTo(seventeen.resolve("bin/java"));
  }

  @Test
  void should_prefer_the_java_17_an_environment_variable_names() throws IOException {
    Path current = jdk("temurin-25", "25");
    jdk("a-java-17", "17.0.1");
    Path named = jdk("elsewhere-17", "17.0.9");
    assertThat(ServerJava.resolve(null, Map.of("JAVA_HOME_17_X64", named.toString())::get, current, 25,
        List.of(dir))).isEqualTo(named.resolve("bin/java"));
  }

  @Test
  void should_take_a_configured_home_as_given_property_before_environment() throws IOException {
    Path current = jdk("current", "17.0.15");
    Path byEnv = jdk("by-env", "11.0.2");
    Path byProperty = jdk("by-property", "17.0.3");
    Map<String, String> env = Map.of(ServerJava.HOME_ENV, byEnv.toString());
    assertThat(ServerJava.resolve(null, env::get, current, 17, List.of())).isEqualTo(byEnv.resolve("bin/java"));
    assertThat(ServerJava.resolve(byProperty.toString(), env::get, current, 17, List.of()))
        .isEqualTo(byProperty.resolve("bin/java"));
  }

  @Test
  void should_name_a_configured_home_without_java() {
    Path nowhere = dir.resolve("no-jdk-here");
    assertThatThrownBy(() -> ServerJava.resolve(nowhere.toString(), Map.<String, String>of()::get, dir, 17,
        List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Invalid system property " + ServerJava.HOME_PROPERTY)
        .hasMessageContaining(nowhere.toString())
        .hasMessageContaining("home directory of a JDK 17");
  }

  @Test
  void should_say_what_to_set_when_no_java_17_is_found() throws IOException {
    Path current = jdk("temurin-25", "25.0.1");
    jdk("java-21", "21.0.4");
    assertThatThrownBy(() -> ServerJava.resolve(null, Map.<String, String>of()::get, current, 25, List.of(dir)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("this JVM is Java 25 (" + current + ")")
        .hasMessageContaining("No JDK 17 was found")
        .hasMessageContaining(dir.toString())
        .hasMessageContaining(ServerJava.HOME_ENV);
  }

  @Test
  void should_read_the_feature_version_of_a_release_file() throws IOException {
    assertThat(ServerJava.version(jdk("a", "17.0.15"))).contains(17);
    assertThat(ServerJava.version(jdk("b", "25"))).contains(25);
    assertThat(ServerJava.version(jdk("c", "1.8.0_402"))).contains(8);
    assertThat(ServerJava.version(jdk("d", "21-ea"))).contains(21);
    assertThat(ServerJava.version(dir.resolve("missing"))).isEmpty();
  }
}
