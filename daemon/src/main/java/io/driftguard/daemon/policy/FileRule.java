package io.driftguard.daemon.policy;

import java.util.List;

/**
 * {@code [[policy.file]]}: writes under {@code paths}. {@code alert} reports every change with its
 * hashes; {@code block} makes the paths read-only inside the container.
 */
public record FileRule(String name, List<PathGlob> paths, Action action) {
    public FileRule {
        paths = List.copyOf(paths);
    }

    public boolean matches(String path) {
        return paths.stream().anyMatch(p -> p.matches(path));
    }
}
