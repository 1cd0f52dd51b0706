package io.driftguard.scan.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftguard-scan}: exit 0 no findings, 1 drift or tamper found, 2 the scan could not run (fully). */
@Command(name = "driftguard-scan", mixinStandardHelpOptions = true, version = "driftguard-scan 0.1.0",
        description = "Re-hashes registry content, flags tags whose digest moved away from the approved one, and scans images for vulnerable packages, misconfigurations and secrets against an offline OSV database.",
        subcommands = {RunCommand.class, ApproveCommand.class, HistoryCommand.class, StatusCommand.class, ImageCommand.class,
                DbCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:no findings", "1:drift or tamper found, or an image finding at or above [scan] fail_on", "2:the scan could not run, or part of it failed"})
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
        cli.setExitCodeExceptionMapper(e -> ExitCodes.CANNOT_RUN);
        // A config problem or an unreadable store is reported in one line, not as a stack trace.
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("driftguard-scan " + command.getCommandName() + ": " + e.getMessage());
            return ExitCodes.CANNOT_RUN;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run, approve, history, status, image or db");
    }
}
