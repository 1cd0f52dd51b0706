package io.driftguard.core.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs every command and subcommand of a picocli program (taken from its spec, so new commands are
 * covered without editing a list) with bad input, and collects the outputs that show a stack trace.
 */
public final class CliWalk {
    /** A program's entry point with its own streams, as in each Main.execute. */
    public interface Program {
        int execute(PrintWriter out, PrintWriter err, String... args);
    }

    /** A config file that is not TOML, written once per test run. */
    private static final Path BROKEN_CONFIG = brokenConfig();

    private CliWalk() {
    }

    private static Path brokenConfig() {
        try {
            Path file = Files.createTempFile("driftguard-cliwalk-", ".toml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, "[store\npath = = \"x\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command lines whose output contains a stack trace or an exception name, with that output. */
    public static List<String> stackTraces(CommandLine root, Program program) {
        List<String> bad = new ArrayList<>();
        walk(root, new ArrayList<>(), program, bad);
        return bad;
    }

    private static void walk(CommandLine command, List<String> path, Program program, List<String> bad) {
        for (List<String> args : badInputs(command, path)) {
            String output = run(program, args);
            if (output.contains("\tat ") || output.contains("Exception")) {
                bad.add(String.join(" ", args) + " ->\n" + output);
            }
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return; // an alias of a command already walked
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            walk(sub, subPath, program, bad);
        });
    }

    /** An unknown option; a missing config and a config that is no TOML (each with made-up positionals). */
    private static List<List<String>> badInputs(CommandLine command, List<String> path) {
        List<List<String>> inputs = new ArrayList<>();
        List<String> unknown = new ArrayList<>(path);
        unknown.add("--no-such-option");
        inputs.add(unknown);
        if (command.getCommandSpec().findOption("--config") != null) {
            List<String> missing = new ArrayList<>(path);
            missing.addAll(List.of("--config", "/nonexistent/driftguard-test.toml"));
            command.getCommandSpec().positionalParameters().forEach(p -> missing.add("no-such-thing"));
            inputs.add(missing);
            List<String> broken = new ArrayList<>(path);
            broken.addAll(List.of("--config", BROKEN_CONFIG.toString()));
            command.getCommandSpec().positionalParameters().forEach(p -> broken.add("no-such-thing"));
            inputs.add(broken);
        }
        return inputs;
    }

    private static String run(Program program, List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            program.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace, true));
            return out + "" + err + trace;
        }
        return out + "" + err;
    }
}
