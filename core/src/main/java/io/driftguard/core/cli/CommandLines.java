package io.driftguard.core.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs either program's command line: whatever a command throws is one line naming the command, never a stack trace. */
public final class CommandLines {
    private CommandLines() {
    }

    /**
     * Runs {@code args} against the top command {@code root}, whose subcommands are {@code commands},
     * with the given streams, as {@code main} and the tests do. An exception from a command prints
     * "PROGRAM COMMAND: message" and exits with {@code failureExit}.
     */
    public static int execute(Object root, List<Class<?>> commands, int failureExit, PrintWriter out, PrintWriter err,
                              String... args) {
        CommandLine cli = new CommandLine(root);
        named(commands, args).forEach(cli::addSubcommand);
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

    /** The whole program: {@code root} with all of {@code commands}, in their order. */
    public static CommandLine tree(Object root, List<Class<?>> commands) {
        CommandLine cli = new CommandLine(root);
        commands.forEach(cli::addSubcommand);
        return cli;
    }

    /**
     * picocli builds each command's model by reflection, a fifth of a second for all of a program's
     * commands in a JVM started for one command line (the timer's {@code run --once}): a command
     * line that starts with a command's name gets that command only. Any other (no command,
     * {@code --help}, {@code --version}, {@code help}, a misspelt name) gets all of them, so that
     * usage, suggestions and {@code help} see every command.
     */
    private static List<Class<?>> named(List<Class<?>> commands, String... args) {
        if (args.length > 0) {
            for (Class<?> command : commands) {
                CommandLine.Command annotation = command.getAnnotation(CommandLine.Command.class);
                if (!annotation.helpCommand() && (annotation.name().equals(args[0]) || List.of(annotation.aliases()).contains(args[0]))) {
                    return List.of(command);
                }
            }
        }
        return commands;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : "unexpected " + e.getClass().getSimpleName();
    }
}
