package io.driftguard.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering STYLE.md asks for, checked rather than trusted. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.driftguard");

    @Test
    void coreDependsOnNeitherProgram() {
        noClasses().that().resideInAPackage("io.driftguard.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.driftguard.daemon..", "io.driftguard.scan..")
                .check(CLASSES);
    }

    @Test
    void nativeCallsStayInTheKernelBindings() {
        noClasses().that().resideOutsideOfPackages("io.driftguard.daemon.kernel..", "io.driftguard.daemon.bpf..")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .because("native bindings live in one place per kernel interface")
                .check(CLASSES);
    }

    @Test
    void eachCLibraryIsBoundOnceInTheKernelPackage() {
        classes().that().areAssignableTo(com.sun.jna.Library.class)
                .should().resideInAPackage("io.driftguard.daemon.kernel")
                .because("one JNA interface per C library (LibC, LibBpf), checked against its headers")
                .check(CLASSES);
    }

    @Test
    void policiesKnowNothingOfEnforcementOrDocker() {
        noClasses().that().resideInAPackage("io.driftguard.daemon.policy..")
                .should().dependOnClassesThat().resideInAnyPackage("io.driftguard.daemon.enforce..",
                        "io.driftguard.daemon.docker..", "io.driftguard.daemon.kernel..", "com.github.dockerjava..")
                .check(CLASSES);
    }

    @Test
    void onlyTheDockerPackageTalksToDockerJava() {
        noClasses().that().resideOutsideOfPackages("io.driftguard.daemon.docker..", "io.driftguard.daemon.app..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .check(CLASSES);
    }
}
