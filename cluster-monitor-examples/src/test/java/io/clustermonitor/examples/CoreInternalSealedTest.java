package io.clustermonitor.examples;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.clustermonitor.core.CoreArchitectureRules;
import org.junit.jupiter.api.Test;

/** The examples use core's public API only: nothing of core.internal (core's own rule). */
class CoreInternalSealedTest {
  @Test
  void examplesDoNotUseCoreInternal() {
    CoreArchitectureRules.internalIsSealed()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.clustermonitor.examples"));
  }
}
