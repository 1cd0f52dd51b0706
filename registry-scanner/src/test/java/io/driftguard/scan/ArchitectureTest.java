package io.driftguard.scan;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: cli -> run -> drift/hashing -> registry/auth -> config -> core. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.driftguard.scan");

    @Test
    void lowerLayersDoNotUseUpperOnes() {
        noClasses().that().resideInAnyPackage("..scan.registry..", "..scan.auth..", "..scan.hashing..", "..scan.drift..", "..scan.config..")
                .should().dependOnClassesThat().resideInAnyPackage("..scan.run..", "..scan.cli..").check(CLASSES);
        noClasses().that().resideInAnyPackage("..scan.registry..", "..scan.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("..scan.drift..", "..scan.hashing..").check(CLASSES);
        noClasses().that().resideInAnyPackage("..scan.run..")
                .should().dependOnClassesThat().resideInAnyPackage("..scan.cli..").check(CLASSES);
    }

    @Test
    void nothingUsesTheDaemon() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.driftguard.daemon..").check(CLASSES);
    }
}
