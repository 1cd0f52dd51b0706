package io.driftguard.daemon;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.driftguard.core.testing.PackageRules.everyPackageIsALayer;
import static io.driftguard.core.testing.PackageRules.noCycles;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.driftguard.core.testing.PackageRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daemon's packages point one way:
 * <pre>
 *   cli -> app -> enforce -> files, bpf, baseline -> docker -> policy
 *   app -> hook (the start hook's socket); enforce -> hook (the start requests it answers)
 *   cli -> dockersetup; app -> authz -> admission -> policy; docker -> admission (the engine lookups it asks for)
 *   cli, app -> fleet (the shared store's cache, outbox and link) -> baseline, policy
 *   app -> output, metrics (each on its own threads, using only core)
 *   cli (terminal size), app (socket activation), dockersetup (SIGHUP), enforce, files, bpf, baseline -> kernel
 * </pre>
 * {@code policy} is the vocabulary (rules, CIDRs, protocols, syscall names) and uses nothing of the
 * daemon; {@code docker} reports containers to a listener that {@code enforce} implements. Each rule
 * is written once for a root package and checked twice: on the daemon, where it must hold, and on
 * {@code archfixture} (test classes laid out like the daemon, each a deliberate violation), where it
 * must report exactly the violation it exists for.
 */
class ArchitectureTest {
    private static final String DAEMON = "io.driftguard.daemon";
    private static final String CORE = "io.driftguard.core";
    private static final String FIXTURE = "io.driftguard.daemon.archfixture";
    private static final List<String> LAYERS = List.of("cli", "app", "fleet", "dockersetup", "authz", "hook", "enforce", "files", "bpf", "baseline",
            "docker", "admission", "kernel", "policy", "output", "metrics");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.driftguard");
    private static final JavaClasses VIOLATIONS = new ClassFileImporter().importPackages(FIXTURE);

    static LayeredArchitecture layers(String root) {
        return PackageRules.layers(root, LAYERS)
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("app").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("enforce").mayOnlyBeAccessedByLayers("app")
                .whereLayer("files").mayOnlyBeAccessedByLayers("enforce")
                .whereLayer("bpf").mayOnlyBeAccessedByLayers("app", "enforce")
                .whereLayer("fleet").mayOnlyBeAccessedByLayers("cli", "app")
                .whereLayer("baseline").mayOnlyBeAccessedByLayers("cli", "enforce", "fleet")
                .whereLayer("dockersetup").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("authz").mayOnlyBeAccessedByLayers("app")
                .whereLayer("hook").mayOnlyBeAccessedByLayers("app", "enforce")
                .whereLayer("hook").mayNotAccessAnyLayer()
                .whereLayer("output").mayOnlyBeAccessedByLayers("app")
                .whereLayer("output").mayNotAccessAnyLayer()
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("app")
                .whereLayer("metrics").mayNotAccessAnyLayer()
                .whereLayer("docker").mayOnlyAccessLayers("policy", "admission")
                .whereLayer("admission").mayOnlyAccessLayers("policy")
                .whereLayer("kernel").mayOnlyBeAccessedByLayers("cli", "app", "dockersetup", "enforce", "files", "bpf", "baseline")
                .whereLayer("policy").mayNotAccessAnyLayer();
    }

    static ArchRule onlyTheDockerPackageTalksToDockerJava(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".docker..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .because("Docker is reached through the docker package, over the API");
    }

    static ArchRule nativeCallsStayInTheKernelBindings(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + ".kernel..", root + ".bpf..")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .because("native bindings live in one place per kernel interface");
    }

    /** No shelling out (to the docker CLI or anything else): the one process is the bundled mount helper. */
    static ArchRule onlyTheMountHelperStartsProcesses(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().doNotHaveFullyQualifiedName(root + ".files.ReadOnlyMounts")
                .should().dependOnClassesThat(type(ProcessBuilder.class))
                .orShould().callMethodWhere(target(owner(type(Runtime.class))).and(target(name("exec"))));
    }

    static ArchRule coreDependsOnNeitherProgram(String core) {
        return noClasses().that().resideInAPackage(core + "..")
                .should().dependOnClassesThat(resideInAnyPackage("io.driftguard.daemon..", "io.driftguard.scan..")
                        .and(not(resideInAPackage(core + ".."))));
    }

    @Test
    void daemonPackagesPointOneWay() {
        layers(DAEMON).check(CLASSES);
        noCycles(DAEMON).check(CLASSES);
        everyPackageIsALayer(DAEMON, LAYERS).check(CLASSES);
    }

    @Test
    void eachCLibraryIsBoundOnceInTheKernelPackage() {
        classes().that().areAssignableTo(com.sun.jna.Library.class)
                .should().resideInAPackage("io.driftguard.daemon.kernel")
                .because("one JNA interface per C library (LibC, LibBpf), checked against its headers")
                .check(CLASSES);
    }

    @Test
    void onlyTheDockerPackageTalksToDockerJava() {
        onlyTheDockerPackageTalksToDockerJava(DAEMON).check(CLASSES);
    }

    @Test
    void nativeCallsStayInTheKernelBindings() {
        nativeCallsStayInTheKernelBindings(DAEMON).check(CLASSES);
    }

    @Test
    void onlyTheMountHelperStartsProcesses() {
        onlyTheMountHelperStartsProcesses(DAEMON).check(CLASSES);
    }

    @Test
    void coreDependsOnNeitherProgram() {
        coreDependsOnNeitherProgram(CORE).check(CLASSES);
    }

    @Test
    void dockerEnforceCycleIsReported() {
        assertThat(violations(noCycles(FIXTURE))).anyMatch(d -> d.contains("docker.Watcher") && d.contains("enforce.Sensors"));
        assertThat(violations(fixtureLayers()))
                .anyMatch(d -> d.contains("docker.Watcher") && d.contains("enforce.Sensors"))
                .noneMatch(d -> d.startsWith("Field <" + FIXTURE + ".enforce.Sensors.watcher"));
    }

    @Test
    void policyUsingEnforcementIsReported() {
        assertThat(violations(fixtureLayers())).anyMatch(d -> d.contains("policy.Rule") && d.contains("bpf.Cidr"));
    }

    @Test
    void usingAppOrCliIsReported() {
        assertThat(violations(fixtureLayers()))
                .anyMatch(d -> d.contains("enforce.Settings") && d.contains("app.Config"))
                .anyMatch(d -> d.contains("app.Config") && d.contains("cli.Command"));
    }

    @Test
    void packageOutsideTheLayersIsReported() {
        assertThat(violations(everyPackageIsALayer(FIXTURE, LAYERS))).anyMatch(d -> d.contains("stray.Helper"))
                .noneMatch(d -> d.contains("docker.Watcher"));
    }

    @Test
    void dockerCliFromBaselineIsReported() {
        assertThat(violations(onlyTheMountHelperStartsProcesses(FIXTURE))).anyMatch(d -> d.contains("baseline.Overlay"))
                .allMatch(d -> d.contains("baseline.Overlay"));
    }

    @Test
    void dockerJavaOutsideTheDockerPackageIsReported() {
        assertThat(violations(onlyTheDockerPackageTalksToDockerJava(FIXTURE))).anyMatch(d -> d.contains("baseline.ImageApi"))
                .allMatch(d -> d.contains("baseline.ImageApi"));
    }

    @Test
    void jnaOutsideTheBindingsIsReported() {
        assertThat(violations(nativeCallsStayInTheKernelBindings(FIXTURE))).anyMatch(d -> d.contains("files.Native"))
                .noneMatch(d -> d.contains("kernel.Call"));
    }

    @Test
    void coreUsingTheDaemonIsReported() {
        assertThat(violations(coreDependsOnNeitherProgram(FIXTURE + ".core"))).anyMatch(d -> d.contains("core.Shared") && d.contains("policy.Rule"));
    }

    private static ArchRule fixtureLayers() {
        return layers(FIXTURE).withOptionalLayers(true);
    }

    private static List<String> violations(ArchRule rule) {
        return PackageRules.violations(rule, VIOLATIONS);
    }
}
