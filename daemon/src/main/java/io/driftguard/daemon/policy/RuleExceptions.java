package io.driftguard.daemon.policy;

import java.util.List;
import java.util.function.Supplier;

/**
 * A rule's {@code except} table, as Falco's exceptions: what the rule leaves alone although it
 * matches. {@code paths} are globs of the executable's (or file's) path inside the container;
 * {@code parentPaths} globs of the executable of the program that starts the exec (the new
 * program's parent), {@code parentNames} that program's name (its comm: a script's file name, a
 * program's own). Empty lists except nothing.
 */
public record RuleExceptions(List<PathGlob> paths, List<PathGlob> parentPaths, List<String> parentNames) {
    public static final RuleExceptions NONE = new RuleExceptions(List.of(), List.of(), List.of());

    /** The program that starts the exec a rule judges; either field null when it is gone. */
    public record Parent(String exePath, String name) {
        public static final Parent UNKNOWN = new Parent(null, null);
    }

    public RuleExceptions {
        paths = List.copyOf(paths);
        parentPaths = List.copyOf(parentPaths);
        parentNames = List.copyOf(parentNames);
    }

    public boolean isEmpty() {
        return paths.isEmpty() && parentPaths.isEmpty() && parentNames.isEmpty();
    }

    public boolean hasParents() {
        return !parentPaths.isEmpty() || !parentNames.isEmpty();
    }

    public boolean coversPath(String path) {
        return paths.stream().anyMatch(p -> p.matches(path));
    }

    /** True when the exception covers {@code path} or its parent; {@code parent} is asked only when a parent entry could decide. */
    public boolean covers(String path, Supplier<Parent> parent) {
        if (coversPath(path)) {
            return true;
        }
        if (!hasParents()) {
            return false;
        }
        Parent p = parent.get();
        return (p.exePath() != null && parentPaths.stream().anyMatch(g -> g.matches(p.exePath())))
                || (p.name() != null && parentNames.contains(p.name()));
    }
}
