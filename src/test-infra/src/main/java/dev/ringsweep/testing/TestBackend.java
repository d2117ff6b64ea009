package dev.ringsweep.testing;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What runs the shared clusters of {@link TestClusters}, chosen by the system property {@value #PROPERTY}, else the
 * environment variable {@value #ENVIRONMENT_VARIABLE}; {@link #LOCAL} when neither is set (or both are blank).
 * Values are case-insensitive.
 */
enum TestBackend {

  /** Child JVMs on {@code 127.0.<subnet>.x}, started by {@link dev.ringsweep.cluster.LocalCluster}: the default. */
  LOCAL("local"),

  /** One Docker container per cluster, run by Testcontainers ({@code org.testcontainers:cassandra}). */
  TESTCONTAINERS("testcontainers");

  /** System property naming the backend; wins over the environment variable. */
  static final String PROPERTY = "ringsweep.test.backend";

  /** Environment variable naming the backend when the system property is absent or blank. */
  static final String ENVIRONMENT_VARIABLE = "RINGSWEEP_TEST_BACKEND";

  /** The artifact the {@link #TESTCONTAINERS} backend needs, at the version test-infra is built with. */
  static final String TESTCONTAINERS_ARTIFACT = "org.testcontainers:cassandra:1.21.3";

  /** The class {@link #TESTCONTAINERS} runs Cassandra with; in {@link #TESTCONTAINERS_ARTIFACT}. */
  static final String CONTAINER_CLASS = "org.testcontainers.cassandra.CassandraContainer";

  private final String value;

  TestBackend(String value) {
    this.value = value;
  }

  /** The name a user writes in {@value #PROPERTY} or {@value #ENVIRONMENT_VARIABLE}. */
  String value() {
    return value;
  }

  /** The backend this JVM's system properties and environment choose. */
  static Choice chosen() {
    return choose(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT_VARIABLE));
  }

  /**
   * The backend chosen by a system property value and an environment variable value (either may be null).
   *
   * @throws IllegalArgumentException if the deciding value names no backend
   */
  static Choice choose(String property, String environment) {
    if (property != null && !property.isBlank()) {
      return new Choice(parse(property, "system property " + PROPERTY), "system property " + PROPERTY);
    }
    if (environment != null && !environment.isBlank()) {
      return new Choice(parse(environment, "environment variable " + ENVIRONMENT_VARIABLE),
          "environment variable " + ENVIRONMENT_VARIABLE);
    }
    return new Choice(LOCAL, "the default");
  }

  private static TestBackend parse(String value, String source) {
    String trimmed = value.trim();
    return Arrays.stream(values())
        .filter(backend -> backend.value.equalsIgnoreCase(trimmed))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(String.format(
            "Invalid test backend: '%s' in %s (valid: %s)", trimmed, source,
            Arrays.stream(values()).map(TestBackend::value).collect(Collectors.joining(", ")))));
  }

  /**
   * Checks that {@code className} (normally {@link #CONTAINER_CLASS}) can be loaded, before any class that refers to
   * Testcontainers is: test-infra's dependency on it is optional.
   *
   * @throws IllegalStateException naming {@link #TESTCONTAINERS_ARTIFACT} if the class is missing
   */
  static void requireTestcontainers(Choice choice, String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(String.format(
          "The test backend %s needs %s on the test classpath (class %s is missing): add it as a test dependency, or "
              + "unset %s and %s to use the default backend (%s)",
          choice, TESTCONTAINERS_ARTIFACT, className, PROPERTY, ENVIRONMENT_VARIABLE, LOCAL.value), e);
    }
  }

  /**
   * Checks that a Docker engine answers, for the {@link #TESTCONTAINERS} backend.
   *
   * @param dockerAvailable what Testcontainers' {@code DockerClientFactory.isDockerAvailable()} says
   * @throws IllegalStateException saying so, and how to use the default backend, if none answers
   */
  static void requireDocker(Choice choice, boolean dockerAvailable) {
    if (!dockerAvailable) {
      throw new IllegalStateException(String.format(
          "The test backend %s needs a Docker engine, but none answers (Testcontainers found no valid Docker "
              + "environment; see its log above): start one, or unset %s and %s to use the default backend (%s: "
              + "Cassandra nodes in child JVMs, no Docker needed)",
          choice, PROPERTY, ENVIRONMENT_VARIABLE, LOCAL.value));
    }
  }

  /** The message of a test skipped on the {@link #TESTCONTAINERS} backend because it needs child-JVM nodes. */
  static String notOnContainers(String why) {
    return String.format("Skipped on the %s backend: needs Cassandra nodes in child JVMs (the %s backend) to %s",
        TESTCONTAINERS.value, LOCAL.value, why);
  }

  /**
   * A backend and what chose it, for messages.
   *
   * @param backend the backend
   * @param source what chose it: {@code "system property ringsweep.test.backend"},
   *     {@code "environment variable RINGSWEEP_TEST_BACKEND"} or {@code "the default"}
   */
  record Choice(TestBackend backend, String source) {

    /** E.g. {@code "testcontainers (system property ringsweep.test.backend)"}. */
    @Override
    public String toString() {
      return backend.value + " (" + source + ")";
    }
  }
}
