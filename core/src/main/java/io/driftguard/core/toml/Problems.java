package io.driftguard.core.toml;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one read so that a user sees all of them at once. */
public final class Problems {
    private final List<ConfigProblem> found = new ArrayList<>();

    public void add(ConfigProblem problem) {
        found.add(problem);
    }

    public void addAll(List<ConfigProblem> problems) {
        found.addAll(problems);
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(found);
    }

    /** Throws if anything was found, so that a half-valid file is never used. */
    public void throwIfAny() throws ConfigException {
        if (!found.isEmpty()) {
            throw new ConfigException(found);
        }
    }
}
