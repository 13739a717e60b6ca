package io.clustermonitor.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.clustermonitor.examples.archfixture.UsesExporterInternals;
import org.junit.jupiter.api.Test;

/**
 * The examples use the exporters through their public API only: nothing under {@code
 * io.clustermonitor.exporters.internal..} (not exported, see the jar's {@code
 * Automatic-Module-Name: io.clustermonitor.exporters}). Documented exceptions: none today; add one
 * here as {@code .and().doNotHaveFullyQualifiedName("...")} with the reason next to it.
 */
class ExporterInternalsArchTest {
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.clustermonitor.examples");

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
  void theRuleCatchesAnInternalImport() {
    JavaClasses offending = new ClassFileImporter().importClasses(UsesExporterInternals.class);
    assertThatThrownBy(() -> rule().check(offending))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("io.clustermonitor.exporters.internal.BuildInfo");
  }
}
