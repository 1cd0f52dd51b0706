package io.driftguard.core.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;

/**
 * The package rules both programs' ArchitectureTests share: each written for a root package, and
 * checked on the program, where it must hold, and on its {@code archfixture}, where it must report
 * the violation it exists for.
 */
public final class PackageRules {
    private PackageRules() {
    }

    /** One layer per name, defined by {@code root.NAME..}, counting only dependencies between layers; the caller says which may use which. */
    public static LayeredArchitecture layers(String root, List<String> names) {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : names) {
            layers = layers.layer(layer).definedBy(root + "." + layer + "..");
        }
        return layers;
    }

    public static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** A new package must be given its place among the layers, or the layering would not see it. */
    public static ArchRule everyPackageIsALayer(String root, List<String> names) {
        return classes().that().resideInAPackage(root + "..")
                .should().resideInAnyPackage(names.stream().map(l -> root + "." + l + "..").toArray(String[]::new));
    }

    /** What {@code rule} reports on {@code fixture}, which must break it. */
    public static List<String> violations(ArchRule rule, JavaClasses fixture) {
        EvaluationResult result = rule.evaluate(fixture);
        assertThat(result.hasViolation()).as("rule reports the fixture's violation").isTrue();
        return result.getFailureReport().getDetails();
    }
}
