package io.driftguard.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code policy}, {@code db}, ...): given none, it fails as
 * for a bad argument, "missing command: CHOICES" with its usage on stderr and exit code 2.
 */
public abstract class GroupCommand implements Runnable {
    private final String choices;

    @Spec
    private CommandSpec spec;

    /** {@code choices}: the subcommands, as the error names them ("setup or undo"). */
    protected GroupCommand(String choices) {
        this.choices = choices;
    }

    @Override
    public final void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: " + choices);
    }
}
