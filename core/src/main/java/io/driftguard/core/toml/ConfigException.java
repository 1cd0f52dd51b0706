package io.driftguard.core.toml;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a config or policy file is invalid; carries every problem found, not only the first. */
public final class ConfigException extends Exception {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
