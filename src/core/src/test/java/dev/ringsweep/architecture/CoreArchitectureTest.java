package dev.ringsweep.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The line between core's API and its implementation, and core's package structure, checked on its compiled
 * classes (not its tests).
 *
 * <p>API packages: {@code dev.ringsweep}, {@code .token}, {@code .batch}, {@code .export}, {@code .imports}.
 * Implementation: {@code dev.ringsweep.internal} and below, left out of the Javadoc.
 */
public class CoreArchitectureTest {

  static final List<String> API_PACKAGES =
      List.of("dev.ringsweep", "dev.ringsweep.token", "dev.ringsweep.batch", "dev.ringsweep.export",
          "dev.ringsweep.imports");

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.ringsweep");

  /** Types that must never appear in a public signature of core's API. */
  static boolean foreignToCoreApi(Class<?> c) {
    String name = c.getName();
    return name.startsWith("dev.ringsweep.internal.")
        || name.startsWith("org.apache.hadoop.")
        || name.startsWith("org.apache.parquet.")
        || name.startsWith("org.apache.iceberg.")
        || name.startsWith("com.google.common.")
        || name.contains(".shaded.guava.")
        || name.startsWith("picocli.")
        || name.startsWith("me.tongfei.");
  }

  @Test
  void should_find_core_classes_to_check() {
    // Guards the tests below against passing on an empty import.
    assertThat(CORE.stream().map(JavaClass::getPackageName)).contains(API_PACKAGES.toArray(String[]::new));
    assertThat(CORE.stream().map(JavaClass::getPackageName))
        .contains("dev.ringsweep.internal.count", "dev.ringsweep.internal.export", "dev.ringsweep.internal.imports");
  }

  @Test
  void should_expose_no_internal_hadoop_parquet_iceberg_or_guava_type_in_a_public_api_signature() {
    List<Class<?>> api = CORE.stream()
        .filter(c -> API_PACKAGES.contains(c.getPackageName()))
        .map(JavaClass::reflect)
        .<Class<?>>map(c -> c)
        .toList();
    assertThat(api).hasSizeGreaterThan(40);
    assertThat(ApiSignatures.violations(api, CoreArchitectureTest::foreignToCoreApi)).isEmpty();
  }

  @Test
  void should_report_a_forbidden_type_in_a_public_signature() {
    // The walker itself: an API-shaped class that leaks an internal type through a generic argument is caught.
    Predicate<Class<?>> internal = c -> c.getName().startsWith("dev.ringsweep.internal.");
    assertThat(ApiSignatures.violations(List.of(Leaky.class), internal))
        .singleElement().asString().contains("Leaky.leak()").contains("dev.ringsweep.internal.Errors");
  }

  /** An API class whose public method returns an internal type inside a generic argument. */
  public static final class Leaky {
    public List<? extends dev.ringsweep.internal.Errors> leak() {
      return List.of();
    }
  }

  @Test
  void should_have_no_dependency_cycle_between_the_packages_below_dev_ringsweep() {
    slices().matching("dev.ringsweep.(**)").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void should_fail_the_cycle_rule_on_a_package_cycle() {
    JavaClasses cyclic = new ClassFileImporter().importPackages("dev.ringsweep.architecture.fixture");
    assertThatThrownBy(() -> slices().matching("dev.ringsweep.architecture.fixture.(**)").should().beFreeOfCycles()
        .check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected");
  }

  @Test
  void should_reach_the_implementation_from_the_root_package_only_through_the_facade() {
    // The root package holds the facade and the API's common types (results, listener, exception, options). The
    // facade and its builder are the composition root: the only classes there that may use the implementation.
    // With the rule above, this leaves no package cycle but the facade's own entry into the engines.
    noClasses().that().resideInAPackage("dev.ringsweep")
        .and().doNotHaveFullyQualifiedName("dev.ringsweep.TokenAwareBulkOperator")
        .and().doNotHaveFullyQualifiedName("dev.ringsweep.OperatorBuilder")
        .should().dependOnClassesThat().resideInAPackage("dev.ringsweep.internal..")
        .check(CORE);
  }

  @Test
  void should_not_let_anything_but_the_root_package_call_the_facade() {
    noClasses().that().resideOutsideOfPackage("dev.ringsweep")
        .should().dependOnClassesThat().haveFullyQualifiedName("dev.ringsweep.TokenAwareBulkOperator")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.ringsweep.OperatorBuilder")
        .check(CORE);
  }

  @Test
  void should_not_have_hadoop_parquet_iceberg_sqlite_picocli_or_progress_bars_on_its_classpath() {
    // Core's test classpath holds its runtime dependencies plus JUnit, AssertJ, ArchUnit and a logging binding: a
    // class of these libraries found here would come from core's own dependencies.
    for (String name : List.of("org.apache.hadoop.conf.Configuration", "org.apache.parquet.hadoop.ParquetWriter",
        "org.apache.iceberg.Table", "org.sqlite.JDBC", "picocli.CommandLine", "me.tongfei.progressbar.ProgressBar",
        "org.testcontainers.containers.CassandraContainer")) {
      assertThatThrownBy(() -> Class.forName(name, false, getClass().getClassLoader()))
          .as(name).isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void should_keep_core_free_of_hadoop_parquet_iceberg_guava_and_command_line_libraries() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("org.apache.hadoop..", "org.apache.parquet..", "org.apache.iceberg..",
            "com.google.common..", "picocli..", "me.tongfei..", "org.sqlite..")
        .check(CORE);
  }
}
