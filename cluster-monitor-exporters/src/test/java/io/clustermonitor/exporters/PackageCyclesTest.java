package io.clustermonitor.exporters;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.clustermonitor.exporters.archfixture.a.Ping;
import io.clustermonitor.exporters.archfixture.b.Pong;
import org.junit.jupiter.api.Test;

/**
 * No package cycles in the exporters module: every production package ({@code exporters}, {@code
 * exporters.web}, {@code exporters.internal}, {@code exporters.internal.serving}, {@code
 * exporters.node}, ...) is its own slice, with no package left out. {@code exporters.internal}
 * depends on nothing of ours, so the SDK package and the collectors may use it. The examples module
 * checks all modules together ({@code CoreArchitectureRules.noCyclesBetweenAnyPackages()}).
 */
class PackageCyclesTest {
  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.clustermonitor.exporters");

  /** Each package of ours is one slice (the SDK root package included). */
  static ArchRule noCycles() {
    return slices().matching("io.clustermonitor.(**)").should().beFreeOfCycles();
  }

  @Test
  void noPackageOfTheModuleIsInACycle() {
    noCycles().check(PRODUCTION);
  }

  @Test
  void internalDependsOnNothingOfOurs() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that()
        .resideInAPackage("io.clustermonitor.exporters.internal..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("io.clustermonitor..")
                .and(not(resideInAPackage("io.clustermonitor.exporters.internal.."))))
        .check(PRODUCTION);
  }

  @Test
  void theRuleCatchesACycle() {
    JavaClasses cyclic = new ClassFileImporter().importClasses(Ping.class, Pong.class);
    assertThatThrownBy(() -> noCycles().check(cyclic))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected");
  }
}
