package com.example.sneaky;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rule docs/embedding.md gives users: nothing of ours under {@code internal} is API. */
@AnalyzeClasses(packages = "com.example", importOptions = ImportOption.DoNotIncludeTests.class)
class NoInternalsTest {
  @ArchTest
  static final ArchRule NO_CLUSTER_MONITOR_INTERNALS =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.clustermonitor..internal..")
          .because("cluster-monitor's internal packages are not API");
}
