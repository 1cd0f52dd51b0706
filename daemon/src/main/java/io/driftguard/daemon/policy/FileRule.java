package io.driftguard.daemon.policy;

import java.util.List;

/**
 * {@code [[policy.file]]}: writes under {@code paths}. {@code alert} reports every change with its
 * hashes; {@code block} makes the paths read-only inside the container.
 */
public record FileRule(String name, List<PathGlob> paths, Action action, RuleExceptions except) {
    public FileRule {
        paths = List.copyOf(paths);
        except = except == null ? RuleExceptions.NONE : except;
    }

    /** A file rule without exceptions. */
    public FileRule(String name, List<PathGlob> paths, Action action) {
        this(name, paths, action, RuleExceptions.NONE);
    }

    /** True for a path under {@code paths} and not under {@code except.paths}. */
    public boolean matches(String path) {
        return paths.stream().anyMatch(p -> p.matches(path)) && !except.coversPath(path);
    }
}
