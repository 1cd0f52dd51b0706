package io.driftguard.scan;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
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
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The scanner's packages point one way:
 * <pre>
 *   cli -> run -> drift, image, hashing -> registry -> auth -> config -> net
 *   cli, run, drift, image, hashing, advisory -> store -> (core)
 *   image -> advisory, layer -> packages -> version
 *   run -> docker -> layer
 *   cli -> hashing (NSS's digests, installed at start)
 * </pre>
 * {@code net} holds what every part that talks to a registry shares (its failure, the loopback
 * rule, escaping of registry-sent text); {@code store} is the scanner's state and knows nothing of
 * registries. Each rule is written once for a root package and checked twice: on the scanner, where
 * it must hold, and on {@code archfixture} (test classes laid out like the scanner, each a
 * deliberate violation), where it must report exactly the violation it exists for.
 */
class ArchitectureTest {
    private static final String SCANNER = "io.driftguard.scan";
    private static final String FIXTURE = "io.driftguard.scan.archfixture";
    private static final List<String> LAYERS = List.of("cli", "run", "drift", "image", "hashing", "registry", "auth", "config", "net", "store",
            "advisory", "layer", "packages", "version", "docker");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(SCANNER);
    private static final JavaClasses VIOLATIONS = new ClassFileImporter().importPackages(FIXTURE);

    static LayeredArchitecture layers(String root) {
        return PackageRules.layers(root, LAYERS)
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("run").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("drift").mayOnlyBeAccessedByLayers("run")
                .whereLayer("image").mayOnlyBeAccessedByLayers("cli", "run")
                .whereLayer("hashing").mayOnlyBeAccessedByLayers("cli", "run", "image")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("run", "hashing", "image")
                .whereLayer("auth").mayOnlyBeAccessedByLayers("registry")
                .whereLayer("config").mayOnlyBeAccessedByLayers("cli", "run", "registry", "auth", "image")
                .whereLayer("net").mayOnlyBeAccessedByLayers("cli", "run", "hashing", "registry", "auth", "config", "layer")
                .whereLayer("store").mayOnlyBeAccessedByLayers("cli", "run", "drift", "hashing", "image", "advisory")
                .whereLayer("advisory").mayOnlyBeAccessedByLayers("cli", "run", "image")
                .whereLayer("layer").mayOnlyBeAccessedByLayers("run", "image", "docker")
                .whereLayer("docker").mayOnlyBeAccessedByLayers("run")
                .whereLayer("packages").mayOnlyBeAccessedByLayers("cli", "run", "image", "advisory", "layer")
                .whereLayer("version").mayOnlyBeAccessedByLayers("cli", "run", "image", "advisory", "layer", "packages");
    }

    /**
     * Statements and result sets stay in the store; others only see its records and SQLException.
     * The one exception is rpm's package database, which is itself an SQLite file in the image.
     */
    static ArchRule onlyTheStoreSpeaksSql(String root) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(root + ".store..")
                .and().doNotHaveFullyQualifiedName(root + ".packages.RpmDatabase")
                .should().dependOnClassesThat(resideInAPackage("java.sql").and(not(type(SQLException.class))));
    }

    static ArchRule onlyRegistryCodeSpeaksHttp(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + ".registry..", root + ".auth..", root + ".hashing..")
                .should().dependOnClassesThat().resideInAPackage("java.net.http..");
    }

    @Test
    void scannerPackagesPointOneWay() {
        layers(SCANNER).check(CLASSES);
        noCycles(SCANNER).check(CLASSES);
        everyPackageIsALayer(SCANNER, LAYERS).check(CLASSES);
    }

    @Test
    void onlyTheStoreSpeaksSql() {
        onlyTheStoreSpeaksSql(SCANNER).check(CLASSES);
    }

    @Test
    void onlyRegistryCodeSpeaksHttp() {
        onlyRegistryCodeSpeaksHttp(SCANNER).check(CLASSES);
    }

    @Test
    void registryAuthCycleIsReported() {
        assertThat(violations(PackageRules::noCycles)).anyMatch(d -> d.contains("auth.TokenFetcher") && d.contains("registry.Client"));
        assertThat(violations(root -> layers(root).withOptionalLayers(true)))
                .anyMatch(d -> d.contains("auth.TokenFetcher") && d.contains("registry.Client"));
    }

    @Test
    void configUsingRegistryIsReported() {
        assertThat(violations(root -> layers(root).withOptionalLayers(true)))
                .anyMatch(d -> d.contains("config.Reader") && d.contains("registry.Client"));
    }

    @Test
    void hashingUsingDriftIsReported() {
        assertThat(violations(root -> layers(root).withOptionalLayers(true)))
                .anyMatch(d -> d.contains("hashing.Verifier") && d.contains("drift.History"));
    }

    @Test
    void packageOutsideTheLayersIsReported() {
        assertThat(violations(root -> everyPackageIsALayer(root, LAYERS))).anyMatch(d -> d.contains("stray.Helper"))
                .noneMatch(d -> d.contains("auth.TokenFetcher"));
    }

    @Test
    void sqlOutsideTheStoreIsReported() {
        assertThat(violations(ArchitectureTest::onlyTheStoreSpeaksSql)).anyMatch(d -> d.contains("drift.History"))
                .noneMatch(d -> d.contains("store."));
    }

    @Test
    void httpOutsideRegistryCodeIsReported() {
        assertThat(violations(ArchitectureTest::onlyRegistryCodeSpeaksHttp)).anyMatch(d -> d.contains("store.Mirror"));
    }

    private static List<String> violations(Function<String, ArchRule> rule) {
        return PackageRules.violations(rule.apply(FIXTURE), VIOLATIONS);
    }
}
