package io.driftguard.daemon.cli;

import io.driftguard.core.cli.CommandLines;
import io.driftguard.core.cli.NestedHelp;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftguard}: the daemon and the commands that talk to it or read its store. */
@Command(name = "driftguard", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runtime security for Docker hosts: enforces your policies (executables, network, syscalls) in the containers they select.")
public final class Main implements Runnable {
    /** The commands, in the order usage lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            DaemonCommand.class, PolicyCommand.class, ConfigCommand.class, EventsCommand.class, StatusCommand.class,
            IsolationCommands.Isolate.class, IsolationCommands.Release.class, IsolationCommands.Stop.class,
            BaselineCommand.class, DiffCommand.class, DockerCommand.class, HostsCommand.class, StoreCommand.class,
            NestedHelp.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given streams; used by main and by tests. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return CommandLines.execute(new Main(), COMMANDS, CommandLine.ExitCode.SOFTWARE, out, err, args);
    }

    /** The whole command tree, for tests that walk every command. */
    public static CommandLine commandLine() {
        return CommandLines.tree(new Main(), COMMANDS);
    }

    @Override
    public void run() {
        // No command is a usage error (exit 2, usage on stderr), not a successful no-op.
        throw new CommandLine.ParameterException(spec.commandLine(), "driftguard: missing command; see driftguard help");
    }
}
