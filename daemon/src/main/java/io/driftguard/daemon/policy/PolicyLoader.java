package io.driftguard.daemon.policy;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.ConfigProblem;
import io.driftguard.core.toml.Problems;
import io.driftguard.core.toml.TomlDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a policies folder (every {@code *.toml}, in name order) or one file into a
 * {@link PolicySet}. The set is valid as a whole or not at all: one bad file rejects the set, so
 * that a reload never runs with part of the protection missing. Every entry of the folder must be
 * a readable regular {@code *.toml} file (links are followed within the folder's file system), or
 * the marker {@value #ALLOW_EMPTY_MARKER}: anything else is an error, never skipped in silence.
 */
public final class PolicyLoader {
    /** A file of this name in the policies folder allows an empty set and a reload that drops files. */
    public static final String ALLOW_EMPTY_MARKER = ".allow-empty";

    private PolicyLoader() {
    }

    /**
     * The valid set at {@code dirOrFile}; an empty set is an error unless {@code allowEmpty} or the
     * folder holds {@value #ALLOW_EMPTY_MARKER}.
     */
    public static PolicySet load(Path dirOrFile, boolean allowEmpty) throws ConfigException {
        Problems problems = new Problems();
        List<Path> files = files(dirOrFile, problems);
        List<Policy> policies = new ArrayList<>();
        PolicyParser parser = new PolicyParser(problems);
        for (Path file : files) {
            try {
                policies.addAll(parser.parse(TomlDocument.read(file)));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            } catch (StackOverflowError e) {
                problems.add(new ConfigProblem(file, 0, "", "nested too deeply to read"));
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
        boolean marker = Files.isDirectory(dirOrFile) && Files.exists(dirOrFile.resolve(ALLOW_EMPTY_MARKER), LinkOption.NOFOLLOW_LINKS);
        if (problems.isEmpty() && policies.isEmpty() && !marker && !allowEmpty) {
            problems.add(new ConfigProblem(dirOrFile, 0, "", "no policies: nothing would be enforced (put a file named "
                    + ALLOW_EMPTY_MARKER + " in the folder, or check with --allow-empty, if that is meant)"));
        }
        problems.throwIfAny();
        return new PolicySet(dirOrFile, policies, files.size(), marker);
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
        List<Path> entries;
        try (Stream<Path> listing = Files.list(dirOrFile)) {
            entries = listing.sorted().toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(dirOrFile, 0, "", "cannot list: " + e.getMessage()));
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(ALLOW_EMPTY_MARKER)) {
                continue;
            }
            if (!name.endsWith(".toml")) {
                problems.add(new ConfigProblem(entry, 0, "", "not a *.toml policy file: the policies folder holds only"
                        + " policy files (and " + ALLOW_EMPTY_MARKER + "); move it elsewhere"));
                continue;
            }
            irregular(dirOrFile, entry).ifPresentOrElse(
                    why -> problems.add(new ConfigProblem(entry, 0, "", why)), () -> files.add(entry));
        }
        return files;
    }

    /** Why a {@code *.toml} entry cannot be read as a policy file, if it cannot. */
    private static Optional<String> irregular(Path dir, Path entry) {
        Path real;
        try {
            real = entry.toRealPath();
        } catch (IOException e) {
            return Optional.of("a link that leads nowhere (dangling or a loop): " + e.getMessage());
        }
        if (!Files.isRegularFile(real)) {
            return Optional.of("not a regular file (" + (Files.isDirectory(real) ? "a folder" : "a device, FIFO or socket") + ")");
        }
        try {
            if (!Files.getAttribute(real, "unix:dev").equals(Files.getAttribute(dir, "unix:dev"))) {
                return Optional.of("a link to " + real + ", on another file system than the policies folder");
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot stat: " + e.getMessage());
        }
        if (!Files.isReadable(real)) {
            return Optional.of("not readable");
        }
        return Optional.empty();
    }
}
