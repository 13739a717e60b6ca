package io.clustermonitor.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The libraries (core, exporters) use only the slf4j API that 1.7 has, so a service on slf4j 1.7
 * keeps our logs (docs/embedding.md states the range 1.7.36 to 2.0.x; the consumer project runs
 * with both). The runnable jar itself may use anything of slf4j 2.
 */
class Slf4jApiSurfaceTest {
  private static final Pattern SLF4J2_LOGGER_METHODS =
      Pattern.compile(
          "at(Trace|Debug|Info|Warn|Error|Level)|makeLoggingEventBuilder|isEnabledForLevel");

  private static final JavaClasses LIBRARIES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("io.clustermonitor.core", "io.clustermonitor.exporters");

  @Test
  void theLibrariesWereImported() {
    org.assertj.core.api.Assertions.assertThat(LIBRARIES.containPackage("io.clustermonitor.core"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(
            LIBRARIES.containPackage("io.clustermonitor.exporters"))
        .isTrue();
  }

  @Test
  void noFluentLoggingApi() {
    noClasses()
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a fluent slf4j 2 logging method",
                (JavaMethodCall call) ->
                    call.getTargetOwner().isAssignableTo(Logger.class)
                        && SLF4J2_LOGGER_METHODS.matcher(call.getName()).matches()))
        .because("slf4j 1.7 has no fluent logging API")
        .check(LIBRARIES);
  }

  @Test
  void noSlf4j2OnlyTypes() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.slf4j.spi.LoggingEventBuilder")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.slf4j.spi.SLF4JServiceProvider")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.slf4j.event.KeyValuePair")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.slf4j.event.LoggingEvent")
        .because("slf4j 1.7 has none of them")
        .check(LIBRARIES);
  }
}
