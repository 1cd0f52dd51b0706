package io.driftguard.core.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Runs either program's command line: whatever a command throws is one line naming the command, never a stack trace. */
public final class CommandLines {
    private CommandLines() {
    }

    /**
     * Runs {@code args} against the top command {@code root} with the given streams, as {@code main}
     * and the tests do. An exception from a command prints "PROGRAM COMMAND: message" and exits
     * with {@code failureExit}.
     */
    public static int execute(Object root, int failureExit, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        String program = cli.getCommandName();
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println(program + " " + command.getCommandName() + ": " + message(e));
            return failureExit;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : "unexpected " + e.getClass().getSimpleName();
    }
}
