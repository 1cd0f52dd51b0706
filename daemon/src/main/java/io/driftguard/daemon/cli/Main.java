package io.driftguard.daemon.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftguard}: the daemon and the commands that talk to it or read its store. */
@Command(name = "driftguard", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runtime security for Docker hosts: enforces your policies (executables, network, syscalls) in the containers they select.",
        subcommands = {DaemonCommand.class, PolicyCommand.class, EventsCommand.class, StatusCommand.class,
                IsolationCommands.Isolate.class, IsolationCommands.Release.class,
                BaselineCommand.class, DiffCommand.class, DockerCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line with the given streams; used by main and by tests. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // Whatever a command throws is reported in one line naming the command, never as a stack trace.
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("driftguard " + command.getCommandName() + ": " + message(e));
            return CommandLine.ExitCode.SOFTWARE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : "unexpected " + e.getClass().getSimpleName();
    }

    @Override
    public void run() {
        // No command is a usage error (exit 2, usage on stderr), not a successful no-op.
        throw new CommandLine.ParameterException(spec.commandLine(), "driftguard: missing command; see driftguard help");
    }
}
