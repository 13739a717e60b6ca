package io.clustermonitor.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.clustermonitor.core.CoreArchitectureRules;
import io.clustermonitor.examples.archfixture.UsesExporterInternals;
import org.junit.jupiter.api.Test;

/**
 * The examples use the exporters through their public API only: nothing under {@code
 * io.clustermonitor.exporters.internal..} (not exported, see the jar's {@code
 * Automatic-Module-Name: io.clustermonitor.exporters}). Documented exceptions: none today; add one
 * here as {@code .and().doNotHaveFullyQualifiedName("...")} with the reason next to it. And no
 * package of core, exporters or examples is in a cycle with another (no exception).
 */
class ExporterInternalsArchTest {
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.clustermonitor.examples");

  /**
   * Every production class of ours on this module's class path: core, exporters and examples (test
   * classes and test jars left out, so the fixtures that break a rule on purpose are not in it).
   */
  private static final JavaClasses ALL_MODULES =
      new ClassFileImporter()
          .withImportOption(
              location ->
                  ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                      && !location.contains("-tests.jar"))
          .importPackages("io.clustermonitor");

  static ArchRule rule() {
    return noClasses()
        .that()
        .resideInAPackage("io.clustermonitor.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.clustermonitor.exporters.internal..")
        .because("exporters.internal is not API");
  }

  @Test
  void examplesDoNotUseExporterInternals() {
    rule().check(PRODUCTION);
  }

  @Test
  void noPackageOfCoreExportersOrExamplesIsInACycle() {
    assertThat(ALL_MODULES.stream().map(JavaClass::getPackageName).distinct())
        .contains(
            "io.clustermonitor.core",
            "io.clustermonitor.core.internal",
            "io.clustermonitor.exporters",
            "io.clustermonitor.exporters.web",
            "io.clustermonitor.examples",
            "io.clustermonitor.examples.api")
        .noneMatch(p -> p.contains("archfixture"));
    CoreArchitectureRules.noCyclesBetweenAnyPackages().check(ALL_MODULES);
  }

  @Test
  void theRuleCatchesAnInternalImport() {
    JavaClasses offending = new ClassFileImporter().importClasses(UsesExporterInternals.class);
    assertThatThrownBy(() -> rule().check(offending))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("io.clustermonitor.exporters.internal.BuildInfo");
  }
}
