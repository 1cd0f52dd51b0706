package io.driftguard.daemon.policy;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.ConfigProblem;
import io.driftguard.core.toml.Problems;
import io.driftguard.core.toml.TomlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a policies folder (every {@code *.toml}, in name order) or one file into a
 * {@link PolicySet}. The set is valid as a whole or not at all: one bad file rejects the set, so
 * that a reload never runs with part of the protection missing.
 */
public final class PolicyLoader {
    private PolicyLoader() {
    }

    public static PolicySet load(Path dirOrFile) throws ConfigException {
        Problems problems = new Problems();
        List<Path> files = files(dirOrFile, problems);
        List<Policy> policies = new ArrayList<>();
        PolicyParser parser = new PolicyParser(problems);
        for (Path file : files) {
            try {
                policies.addAll(parser.parse(TomlDocument.read(file)));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        Map<String, Policy> byName = new HashMap<>();
        for (Policy policy : policies) {
            Policy earlier = byName.putIfAbsent(policy.name(), policy);
            if (earlier != null) {
                problems.add(new ConfigProblem(policy.file(), policy.line(), "name",
                        "duplicate policy name '" + policy.name() + "', first defined at " + earlier.origin()));
            }
        }
        problems.throwIfAny();
        return new PolicySet(dirOrFile, policies);
    }

    /** Parses one policy file's text; for tests and for checking a file before it is installed. */
    public static List<Policy> parse(Path file, String text) throws ConfigException {
        Problems problems = new Problems();
        List<Policy> policies = new PolicyParser(problems).parse(TomlDocument.parse(file, text));
        problems.throwIfAny();
        return policies;
    }

    private static List<Path> files(Path dirOrFile, Problems problems) {
        if (Files.isRegularFile(dirOrFile)) {
            return List.of(dirOrFile);
        }
        if (!Files.isDirectory(dirOrFile)) {
            problems.add(new ConfigProblem(dirOrFile, 0, "", "no such policy file or folder"));
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dirOrFile)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".toml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(dirOrFile, 0, "", "cannot list: " + e.getMessage()));
            return List.of();
        }
    }
}
