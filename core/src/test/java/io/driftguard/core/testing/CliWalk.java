package io.driftguard.core.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9_]*");

    /**
     * The commands that print and take no {@code --json}: every command without subcommands (as
     * "sub sub"), but {@code help} and those in {@code exempt}, must declare it, so that a command
     * added later without it fails the test that calls this.
     */
    public static List<String> withoutJson(CommandLine root, Set<String> exempt) {
        List<String> missing = new ArrayList<>();
        leaves(root, new ArrayList<>(), (command, path) -> {
            String name = String.join(" ", path);
            if (!name.equals("help") && !exempt.contains(name) && command.getCommandSpec().findOption("--json") == null) {
                missing.add(name);
            }
        });
        return missing;
    }

    /**
     * Runs every command that takes {@code --json} with it and each argument list of
     * {@code inputs} (the command's path is put first; a list may hold "{positionals}" for a
     * made-up value per positional parameter), and collects what printed on standard output is no
     * JSON: every line one JSON value, each object's keys snake_case.
     */
    public static List<String> notJson(CommandLine root, Program program, List<List<String>> inputs) {
        List<String> bad = new ArrayList<>();
        leaves(root, new ArrayList<>(), (command, path) -> {
            if (command.getCommandSpec().findOption("--json") == null) {
                return;
            }
            for (List<String> input : inputs) {
                List<String> args = new ArrayList<>(path);
                args.add("--json");
                for (String arg : input) {
                    if (arg.equals("{positionals}")) {
                        command.getCommandSpec().positionalParameters().forEach(p -> args.add("no-such-thing"));
                    } else {
                        args.add(arg);
                    }
                }
                StringWriter out = new StringWriter();
                program.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), args.toArray(String[]::new));
                String problem = jsonProblem(out.toString());
                if (problem != null) {
                    bad.add(String.join(" ", args) + " -> " + problem + ":\n" + out);
                }
            }
        });
        return bad;
    }

    /** Why {@code output} is not JSON lines with snake_case keys, or null when it is (or is empty). */
    public static String jsonProblem(String output) {
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                return "not JSON";
            }
            String key = badKey(node);
            if (key != null) {
                return "key '" + key + "' is not snake_case";
            }
        }
        return null;
    }

    private static String badKey(JsonNode node) {
        if (node.isArray()) {
            for (JsonNode item : node) {
                String key = badKey(item);
                if (key != null) {
                    return key;
                }
            }
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (!SNAKE_CASE.matcher(field.getKey()).matches()) {
                    return field.getKey();
                }
                String key = badKey(field.getValue());
                if (key != null) {
                    return key;
                }
            }
        }
        return null;
    }

    private interface Leaf {
        void visit(CommandLine command, List<String> path);
    }

    private static void leaves(CommandLine command, List<String> path, Leaf leaf) {
        if (command.getSubcommands().isEmpty()) {
            leaf.visit(command, path);
            return;
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                List<String> subPath = new ArrayList<>(path);
                subPath.add(name);
                leaves(sub, subPath, leaf);
            }
        });
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
