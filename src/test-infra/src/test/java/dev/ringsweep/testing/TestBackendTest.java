package dev.ringsweep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

class TestBackendTest {

  @Test
  void should_default_to_child_jvms_when_nothing_is_chosen() {
    assertThat(TestBackend.choose(null, null))
        .isEqualTo(new TestBackend.Choice(TestBackend.LOCAL, "the default"));
    assertThat(TestBackend.choose(" ", "")).isEqualTo(new TestBackend.Choice(TestBackend.LOCAL, "the default"));
  }

  @Test
  void should_choose_testcontainers_from_the_system_property() {
    assertThat(TestBackend.choose("testcontainers", null)).isEqualTo(
        new TestBackend.Choice(TestBackend.TESTCONTAINERS, "system property ringsweep.test.backend"));
  }

  @Test
  void should_choose_testcontainers_from_the_environment_variable_ignoring_case_and_spaces() {
    assertThat(TestBackend.choose(null, " TestContainers ")).isEqualTo(
        new TestBackend.Choice(TestBackend.TESTCONTAINERS, "environment variable RINGSWEEP_TEST_BACKEND"));
  }

  @Test
  void should_let_the_system_property_win_over_the_environment_variable() {
    assertThat(TestBackend.choose("local", "testcontainers").backend()).isEqualTo(TestBackend.LOCAL);
    assertThat(TestBackend.choose("", "testcontainers").backend()).isEqualTo(TestBackend.TESTCONTAINERS);
  }

  @Test
  void should_reject_an_unknown_backend_naming_the_value_and_the_valid_ones() {
    assertThatThrownBy(() -> TestBackend.choose("docker", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid test backend: 'docker' in system property ringsweep.test.backend "
            + "(valid: local, testcontainers)");
    assertThatThrownBy(() -> TestBackend.choose(null, "jvm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid test backend: 'jvm' in environment variable RINGSWEEP_TEST_BACKEND "
            + "(valid: local, testcontainers)");
  }

  @Test
  void should_name_the_artifact_to_add_when_testcontainers_is_missing() {
    TestBackend.Choice choice = TestBackend.choose("testcontainers", null);
    assertThatThrownBy(() -> TestBackend.requireTestcontainers(choice, "org.testcontainers.NoSuchContainer",
        getClass().getClassLoader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The test backend testcontainers (system property ringsweep.test.backend) needs "
            + "org.testcontainers:cassandra:1.21.3 on the test classpath (class org.testcontainers.NoSuchContainer is "
            + "missing): add it as a test dependency, or unset ringsweep.test.backend and RINGSWEEP_TEST_BACKEND to "
            + "use the default backend (local)");
  }

  @Test
  void should_find_the_container_class_in_the_artifact_it_names() {
    assertThatCode(() -> TestBackend.requireTestcontainers(TestBackend.choose("testcontainers", null),
        TestBackend.CONTAINER_CLASS, getClass().getClassLoader())).doesNotThrowAnyException();
    // The version in the message is the one this module is built and tested with.
    assertThat(TestBackend.TESTCONTAINERS_ARTIFACT)
        .isEqualTo("org.testcontainers:cassandra:" + DockerClientFactory.class.getPackage().getImplementationVersion());
  }

  @Test
  void should_say_that_no_docker_engine_answers_and_how_to_use_the_default_backend() {
    TestBackend.Choice choice = TestBackend.choose(null, "testcontainers");
    assertThatThrownBy(() -> TestBackend.requireDocker(choice, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The test backend testcontainers (environment variable RINGSWEEP_TEST_BACKEND) needs a Docker "
            + "engine, but none answers (Testcontainers found no valid Docker environment; see its log above): start "
            + "one, or unset ringsweep.test.backend and RINGSWEEP_TEST_BACKEND to use the default backend (local: "
            + "Cassandra nodes in child JVMs, no Docker needed)");
    assertThatCode(() -> TestBackend.requireDocker(choice, true)).doesNotThrowAnyException();
  }
}
