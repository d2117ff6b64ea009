package dev.ringsweep.iceberg;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ringsweep.architecture.ApiSignatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Iceberg module's API ({@code dev.ringsweep.iceberg}) may speak Iceberg (a user passes their own
 * {@code Catalog} and {@code TableIdentifier}) but never shows the implementation, Hadoop or Guava.
 */
class IcebergArchitectureTest {

  private static final JavaClasses MODULE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("/ringsweep-core") && !location.contains("/core/target/"))
      .importPackages("dev.ringsweep.iceberg", "dev.ringsweep.internal.iceberg");

  @Test
  void should_expose_no_internal_hadoop_or_guava_type_in_a_public_api_signature() {
    List<Class<?>> api = MODULE.stream()
        .filter(c -> c.getPackageName().equals("dev.ringsweep.iceberg"))
        .map(JavaClass::reflect)
        .<Class<?>>map(c -> c)
        .toList();
    assertThat(api).extracting(Class::getSimpleName).contains("ExportTargets", "ImportSources", "IcebergTarget");
    assertThat(ApiSignatures.violations(api, c -> c.getName().startsWith("dev.ringsweep.internal.")
        || c.getName().startsWith("org.apache.hadoop.")
        || c.getName().startsWith("com.google.common.")
        || c.getName().contains(".shaded.guava."))).isEmpty();
  }

  @Test
  void should_have_no_dependency_cycle_between_its_packages() {
    slices().matching("dev.ringsweep.(**)").should().beFreeOfCycles().check(MODULE);
  }

  @Test
  void should_not_reach_the_core_facade() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("dev.ringsweep.TokenAwareBulkOperator")
        .check(MODULE);
  }
}
