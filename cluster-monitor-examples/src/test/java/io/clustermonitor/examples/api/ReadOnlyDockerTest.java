package io.clustermonitor.examples.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.clustermonitor.core.DockerMonitor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReadOnlyDockerTest {

  @Test
  void theHandlersViewOfTheEngineHasOnlyReadMethods() {
    assertThat(
            Arrays.stream(ReadOnlyDocker.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && !Modifier.isPrivate(m.getModifiers()))
                .map(Method::getName))
        .containsExactlyInAnyOrder(
            "endpoint", "host", "snapshot", "trySnapshot", "container", "stats", "systemInfo");
  }

  @Test
  void onlyTheViewAndTheFactoryTouchTheMonitor() {
    JavaClasses api =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.clustermonitor.examples.api");
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(ReadOnlyDocker.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(RestApi.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(RestApi.Builder.class.getName())
        .should()
        .dependOnClassesThat()
        .areAssignableTo(DockerMonitor.class)
        .check(api);
  }

  @Test
  void theViewCallsNothingButReadsOnTheMonitor() {
    JavaClasses api =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.clustermonitor.examples.api");
    noClasses()
        .that()
        .haveFullyQualifiedName(ReadOnlyDocker.class.getName())
        .should()
        .callMethodWhere(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "a DockerMonitor method other than"
                    + " endpoint/snapshot/trySnapshot/container/stats/systemInfo",
                call ->
                    call.getTargetOwner().isAssignableTo(DockerMonitor.class)
                        && !java.util.Set.of(
                                "endpoint",
                                "snapshot",
                                "trySnapshot",
                                "container",
                                "stats",
                                "systemInfo")
                            .contains(call.getName())))
        .check(api);
  }
}
