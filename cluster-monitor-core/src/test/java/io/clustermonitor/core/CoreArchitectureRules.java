package io.clustermonitor.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.Set;

/**
 * The architecture rules of cluster-monitor-core, public (in the core test jar) so other modules
 * can check their own classes against them, e.g. {@code
 * CoreArchitectureRules.internalIsSealed().check(new
 * ClassFileImporter().importPackages("io.clustermonitor"))}.
 *
 * <p>The layers, bottom up (each may use the ones below it, never one above):
 *
 * <ol>
 *   <li><b>foundation</b>: {@link DockerEndpoint} and the exceptions, in {@code
 *       io.clustermonitor.core};
 *   <li>{@code core.model}: records, including the raw {@code StatsSample};
 *   <li>{@code core.events}: the {@code EngineClient} SPI and the container registry;
 *   <li>{@code core.internal}: docker-java adapters (the only place docker-java is used);
 *   <li>{@code core.stats}: the live stats engine;
 *   <li><b>facade</b>: {@link DockerMonitor}, its builder and package-private implementation, in
 *       {@code io.clustermonitor.core};
 *   <li>{@code core.health}, {@code core.cluster}: built on the facade.
 * </ol>
 */
public final class CoreArchitectureRules {
  /** The internal packages. */
  public static final String INTERNAL = "io.clustermonitor.core.internal..";

  /**
   * The one documented use of {@code core.internal} from another module: the exporters' textfile
   * collector parses Prometheus text with {@code internal.PrometheusText} (also used by core's
   * metric health check). Nothing else outside core may touch {@code internal}.
   */
  public static final Set<String> DOCUMENTED_INTERNAL_USES =
      Set.of("io.clustermonitor.core.internal.PrometheusText");

  private static final Set<String> FOUNDATION =
      Set.of(
          "io.clustermonitor.core.DockerEndpoint",
          "io.clustermonitor.core.DockerEndpoint$Builder",
          "io.clustermonitor.core.ProcessEnvironment",
          "io.clustermonitor.core.ClusterMonitorException",
          "io.clustermonitor.core.ClosedException",
          "io.clustermonitor.core.GoDuration",
          "io.clustermonitor.core.ContainerNotFoundException",
          "io.clustermonitor.core.EngineUnavailableException",
          "io.clustermonitor.core.EngineTimeoutException",
          "io.clustermonitor.core.EngineErrorException");

  private CoreArchitectureRules() {}

  /** Whether {@code c} is a foundation class (endpoint or exception of the root package). */
  static boolean isFoundation(JavaClass c) {
    return FOUNDATION.contains(c.getName());
  }

  /**
   * Core's packages, with the root package split into foundation and facade, have no cycle between
   * them.
   */
  public static ArchRule noCyclesBetweenCorePackages() {
    return SlicesRuleDefinition.slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (p.equals("io.clustermonitor.core")) {
                  return SliceIdentifier.of(
                      isFoundation(c) ? "core (foundation)" : "core (facade)");
                }
                if (p.startsWith("io.clustermonitor.core.")) {
                  return SliceIdentifier.of(
                      "core." + p.substring("io.clustermonitor.core.".length()).split("\\.")[0]);
                }
                return SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "core packages (root split into foundation and facade)";
              }
            })
        .should()
        .beFreeOfCycles();
  }

  /**
   * No cycle between any two packages of ours, in every module: each package is its own slice
   * (sub-packages included, e.g. {@code exporters.web} apart from {@code exporters}), except core's
   * root package, split into foundation and facade as in {@link #noCyclesBetweenCorePackages()}.
   * Check it against all production classes, e.g. {@code
   * CoreArchitectureRules.noCyclesBetweenAnyPackages().check(new
   * ClassFileImporter().importPackages("io.clustermonitor"))}.
   */
  public static ArchRule noCyclesBetweenAnyPackages() {
    return SlicesRuleDefinition.slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (p.equals("io.clustermonitor.core")) {
                  return SliceIdentifier.of(
                      isFoundation(c) ? "core (foundation)" : "core (facade)");
                }
                if (p.startsWith("io.clustermonitor.")) {
                  return SliceIdentifier.of(p.substring("io.clustermonitor.".length()));
                }
                return SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "every package of io.clustermonitor (core's root split into foundation and"
                    + " facade)";
              }
            })
        .should()
        .beFreeOfCycles();
  }

  /** The sub-packages of core have no cycle between them (the plain package view). */
  public static ArchRule noCyclesBetweenCoreSubPackages() {
    return SlicesRuleDefinition.slices()
        .matching("io.clustermonitor.core.(*)..")
        .should()
        .beFreeOfCycles();
  }

  /**
   * {@code core.internal} sits below the stats engine and the facade: it may use the foundation,
   * the model and the {@code EngineClient} SPI it implements, nothing above.
   */
  public static ArchRule internalUsesOnlyTheLayersBelow() {
    return noClasses()
        .that()
        .resideInAPackage(INTERNAL)
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are in core.stats, core.health, core.cluster or the core facade",
                (JavaClass c) ->
                    c.getPackageName().startsWith("io.clustermonitor.core.stats")
                        || c.getPackageName().startsWith("io.clustermonitor.core.health")
                        || c.getPackageName().startsWith("io.clustermonitor.core.cluster")
                        || (c.getPackageName().equals("io.clustermonitor.core")
                            && !isFoundation(c))))
        .because("dependencies point one way: API and engine above, docker-java adapters below");
  }

  /**
   * Nothing outside {@code io.clustermonitor.core} uses {@code core.internal}, except {@link
   * #DOCUMENTED_INTERNAL_USES}.
   */
  public static ArchRule internalIsSealed() {
    return noClasses()
        .that()
        .resideOutsideOfPackage("io.clustermonitor.core..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are in core.internal (other than " + DOCUMENTED_INTERNAL_USES + ")",
                (JavaClass c) ->
                    c.getPackageName().startsWith("io.clustermonitor.core.internal")
                        && !DOCUMENTED_INTERNAL_USES.contains(c.getName())
                        && !DOCUMENTED_INTERNAL_USES.contains(
                            c.getName().replaceFirst("\\$.*", ""))))
        .because("core.internal is not API: it may change in any release")
        .allowEmptyShould(true);
  }

  /**
   * The process environment is read in one class ({@code ProcessEnvironment}, the only {@code
   * System.getenv} call of core), called only by the explicit {@code fromEnvironment()} methods of
   * {@link DockerEndpoint} and {@link DockerMonitor.Builder}; every other class takes settings from
   * code.
   */
  public static ArchRule environmentIsReadOnlyByTheBuilder() {
    return noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.clustermonitor.core.ProcessEnvironment")
        .and()
        .resideInAPackage("io.clustermonitor.core..")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould(
            com.tngtech.archunit.lang.conditions.ArchConditions.callMethodWhere(
                DescribedPredicate.describe(
                    "ProcessEnvironment.get() from outside DockerEndpoint.fromEnvironment() and"
                        + " DockerMonitor.Builder.fromEnvironment()",
                    call ->
                        call.getTargetOwner()
                                .getName()
                                .equals("io.clustermonitor.core.ProcessEnvironment")
                            && !(call.getOrigin().getName().equals("fromEnvironment")
                                && Set.of(
                                        DockerEndpoint.class.getName(),
                                        DockerMonitor.Builder.class.getName())
                                    .contains(call.getOriginOwner().getName())))))
        .because("environment variables are read only by the explicit fromEnvironment() methods");
  }
}
