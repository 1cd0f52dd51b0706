package io.driftguard.daemon.policy;

import io.driftguard.core.toml.Problems;
import io.driftguard.core.toml.TomlDocument;
import io.driftguard.core.toml.TomlTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code [[policy]]} tables of one file strictly: unknown keys, wrong types, bad values
 * and bad regexes become problems with file, line and key. Nothing half-valid comes out: the
 * caller throws when any problem was recorded.
 */
final class PolicyParser {
    private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("(sha256:)?[0-9a-fA-F]{64}");

    private final Problems problems;

    PolicyParser(Problems problems) {
        this.problems = problems;
    }

    List<Policy> parse(TomlDocument document) {
        TomlTable root = document.root(problems);
        List<TomlTable> tables = root.tables("policy");
        root.finish();
        if (tables.isEmpty() && problems.isEmpty()) {
            root.problem(null, "no [[policy]] table in this file");
        }
        List<Policy> policies = new ArrayList<>();
        for (TomlTable table : tables) {
            policy(document.file(), table).ifPresent(policies::add);
        }
        return policies;
    }

    private Optional<Policy> policy(Path file, TomlTable table) {
        String name = table.requiredString("name");
        if (!name.isEmpty() && !POLICY_NAME.matcher(name).matches()) {
            table.problem("name", "must be letters, digits, '_', '.' or '-' (at most 128), not '" + name + "'");
        }
        Mode mode = enumValue(table, "mode", Mode.class, Mode.ENFORCE);
        Match match = match(table);
        List<ProcessRule> process = new ArrayList<>();
        List<TomlTable> processTables = table.tables("process");
        for (int i = 0; i < processTables.size(); i++) {
            process.add(processRule(name, i, processTables.get(i)));
        }
        DriftRule drift = table.table("drift").map(DriftAndFileRules::drift).orElse(null);
        ProfileRule profile = table.table("profile").map(DriftAndFileRules::profile).orElse(null);
        List<FileRule> files = new ArrayList<>();
        List<TomlTable> fileTables = table.tables("file");
        for (int i = 0; i < fileTables.size(); i++) {
            files.add(DriftAndFileRules.file(name, i, fileTables.get(i)));
        }
        table.finish();
        if (process.isEmpty() && drift == null && profile == null && files.isEmpty()) {
            table.problem(null, "policy '" + name + "' has no rules; add at least one [[policy.process]], "
                    + "[policy.drift], [policy.profile] or [[policy.file]]");
        }
        return Optional.of(new Policy(name, file, table.line(), mode, match, process, drift, profile, files));
    }

    private Match match(TomlTable policy) {
        Optional<TomlTable> found = policy.table("match");
        if (found.isEmpty()) {
            return new Match(Map.of(), List.of(), List.of());
        }
        TomlTable match = found.get();
        Map<String, String> labels = match.stringMap("labels");
        List<Glob> images = match.strings("images").stream().map(Glob::of).toList();
        List<Glob> names = match.strings("names").stream().map(n -> Glob.of(n.startsWith("/") ? n.substring(1) : n)).toList();
        match.finish();
        return new Match(labels, images, names);
    }

    private ProcessRule processRule(String policyName, int index, TomlTable rule) {
        String name = rule.string("name").orElse(policyName + "/process[" + index + "]");
        Action action = requiredAction(rule);
        List<String> names = rule.strings("names");
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty() || names.get(i).contains("/")) {
                rule.problem("names", i, "must be a file name without '/', such as \"bash\"; use paths for full paths");
            }
        }
        List<Pattern> nameRegex = regexes(rule, "name_regex");
        List<String> paths = rule.strings("paths");
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.contains("//")) {
                rule.problem("paths", i, "must be an absolute, normalised path inside the container, not '" + path + "'");
            }
        }
        List<Pattern> argsRegex = regexes(rule, "args_regex");
        Set<String> sha256 = new LinkedHashSet<>();
        List<String> digests = rule.strings("sha256");
        for (int i = 0; i < digests.size(); i++) {
            String digest = digests.get(i);
            if (SHA256.matcher(digest).matches()) {
                sha256.add(digest.substring(digest.length() - 64).toLowerCase(Locale.ROOT));
            } else {
                rule.problem("sha256", i, "must be 64 hex digits (optionally prefixed sha256:), not '" + digest + "'");
            }
        }
        rule.finish();
        if (names.isEmpty() && nameRegex.isEmpty() && paths.isEmpty() && sha256.isEmpty()
                && !rule.has("names") && !rule.has("name_regex") && !rule.has("paths") && !rule.has("sha256")) {
            rule.problem(null, "a process rule needs at least one of names, name_regex, paths or sha256");
        }
        return new ProcessRule(name, action, names, nameRegex, paths, argsRegex, sha256);
    }

    static Action requiredAction(TomlTable rule) {
        if (!rule.has("action")) {
            rule.problem(null, "missing required key 'action' (block, kill or alert)");
        }
        return enumValue(rule, "action", Action.class, Action.ALERT);
    }

    private static List<Pattern> regexes(TomlTable table, String key) {
        List<String> texts = table.strings(key);
        List<Pattern> compiled = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                compiled.add(Pattern.compile(texts.get(i)));
            } catch (PatternSyntaxException e) {
                table.problem(key, i, "invalid regex: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
        return compiled;
    }

    static <E extends Enum<E>> E enumValue(TomlTable table, String key, Class<E> type, E fallback) {
        Optional<String> text = table.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.get())) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT));
        }
        table.problem(key, "must be one of " + String.join(", ", allowed) + ", not '" + text.get() + "'");
        return fallback;
    }
}
