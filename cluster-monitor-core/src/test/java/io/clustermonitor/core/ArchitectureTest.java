package io.clustermonitor.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker-java stays an implementation detail of {@code core.internal}; the layer, cycle, sealing
 * and environment rules of {@link CoreArchitectureRules} hold, and each can fail.
 */
class ArchitectureTest {
  private static final String DOCKER_JAVA = "com.github.dockerjava..";
  private static final String INTERNAL = "io.clustermonitor.core.internal..";

  private static final JavaClasses PRODUCTION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.clustermonitor");

  /** Production classes plus the test fixtures that break one rule each. */
  private static final JavaClasses WITH_FIXTURES =
      new ClassFileImporter()
          .withImportOption(
              location ->
                  ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                      || location.contains("ArchFixture"))
          .importPackages("io.clustermonitor");

  @Test
  void corePackagesHaveNoCycles() {
    CoreArchitectureRules.noCyclesBetweenCorePackages().check(PRODUCTION);
    CoreArchitectureRules.noCyclesBetweenCoreSubPackages().check(PRODUCTION);
    CoreArchitectureRules.noCyclesBetweenAnyPackages().check(PRODUCTION);
  }

  @Test
  void internalDependsOnlyOnTheLayersBelowIt() {
    CoreArchitectureRules.internalUsesOnlyTheLayersBelow().check(PRODUCTION);
  }

  @Test
  void nothingOutsideCoreUsesInternalExceptWhatIsDocumented() {
    CoreArchitectureRules.internalIsSealed().check(PRODUCTION);
  }

  @Test
  void onlyTheBuilderReadsTheEnvironment() {
    CoreArchitectureRules.environmentIsReadOnlyByTheBuilder().check(PRODUCTION);
  }

  @Test
  void eachRuleCatchesTheViolationItIsAbout() {
    assertThatThrownBy(
            () -> CoreArchitectureRules.noCyclesBetweenCorePackages().check(WITH_FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("ArchFixtureModelUsesStats");
    assertThatThrownBy(
            () -> CoreArchitectureRules.noCyclesBetweenAnyPackages().check(WITH_FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("ArchFixtureModelUsesStats");
    assertThatThrownBy(
            () -> CoreArchitectureRules.noCyclesBetweenCoreSubPackages().check(WITH_FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchFixtureModelUsesStats");
    assertThatThrownBy(
            () -> CoreArchitectureRules.internalUsesOnlyTheLayersBelow().check(WITH_FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchFixtureInternalUsesFacade");
    assertThatThrownBy(() -> CoreArchitectureRules.internalIsSealed().check(WITH_FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchFixtureUsesInternal")
        .hasMessageContaining("DockerApi")
        .satisfies(
            e ->
                org.assertj.core.api.Assertions.assertThat(e.getMessage())
                    .doesNotContain("PrometheusText.parse"));
    assertThatThrownBy(
            () -> CoreArchitectureRules.environmentIsReadOnlyByTheBuilder().check(WITH_FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ArchFixtureReadsEnv")
        .hasMessageContaining("getenv");
  }

  @Test
  void dockerJavaIsReferencedOnlyFromCoreInternal() {
    noClasses()
        .that()
        .resideOutsideOfPackage(INTERNAL)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(DOCKER_JAVA)
        .because("docker-java types must not leak out of core.internal")
        .check(PRODUCTION);
  }

  @Test
  void noPublicSignatureOutsideInternalExposesADockerJavaType() {
    classes()
        .that()
        .resideOutsideOfPackage(INTERNAL)
        .and()
        .arePublic()
        .should(exposeNoDockerJavaTypes())
        .check(PRODUCTION);
  }

  @Test
  void theRulesCatchALeakingSignature() {
    JavaClasses leaking = new ClassFileImporter().importClasses(Leaking.class);
    ArchCondition<JavaClass> condition = exposeNoDockerJavaTypes();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> classes().should(condition).check(leaking))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("com.github.dockerjava.api.model.Statistics");
  }

  /** A public class with a public method that returns a docker-java type. */
  public static final class Leaking {
    /** Leaks. */
    public com.github.dockerjava.api.model.Statistics stats() {
      return null;
    }
  }

  private static ArchCondition<JavaClass> exposeNoDockerJavaTypes() {
    return new ArchCondition<>("expose no docker-java type in a public signature") {
      @Override
      public void check(JavaClass clazz, ConditionEvents events) {
        Set<JavaClass> exposed = new HashSet<>();
        exposed.addAll(clazz.getRawSuperclass().stream().toList());
        exposed.addAll(clazz.getRawInterfaces());
        for (JavaCodeUnit unit : clazz.getCodeUnits()) {
          if (isVisible(unit.getModifiers())) {
            exposed.addAll(unit.getRawParameterTypes());
            exposed.add(unit.getRawReturnType());
            exposed.addAll(unit.getThrowsClause().getTypes());
            exposed.addAll(unit.getReturnType().getAllInvolvedRawTypes());
            unit.getParameterTypes().forEach(t -> exposed.addAll(t.getAllInvolvedRawTypes()));
          }
        }
        for (JavaField f : clazz.getFields()) {
          if (isVisible(f.getModifiers())) {
            exposed.addAll(f.getType().getAllInvolvedRawTypes());
          }
        }
        for (JavaClass t : exposed) {
          if (DOCKER_JAVA_TYPE.test(t)) {
            events.add(
                SimpleConditionEvent.violated(
                    clazz, clazz.getName() + " exposes " + t.getName() + " in a public signature"));
          }
        }
      }
    };
  }

  private static boolean isVisible(Set<JavaModifier> modifiers) {
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static final DescribedPredicate<JavaClass> DOCKER_JAVA_TYPE =
      DescribedPredicate.describe(
          "docker-java type", c -> c.getName().startsWith("com.github.dockerjava."));
}
