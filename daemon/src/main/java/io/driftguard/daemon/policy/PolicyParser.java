package io.driftguard.daemon.policy;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.model.Digest;
import io.driftguard.core.toml.Problems;
import io.driftguard.core.toml.TomlDocument;
import io.driftguard.core.toml.TomlTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code [[policy]]} tables of one file strictly: unknown keys, wrong types, bad values
 * and bad regexes become problems with file, line and key. Nothing half-valid comes out: the
 * caller throws when any problem was recorded.
 */
final class PolicyParser {
    private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final SyscallTable SYSCALLS = SyscallTable.load();
    private static final Set<Action> PROCESS_ACTIONS = Set.of(Action.BLOCK, Action.KILL, Action.ALERT, Action.ISOLATE, Action.STOP,
            Action.RESTART);
    private static final Set<Action> NETWORK_ACTIONS = Set.of(Action.BLOCK, Action.ALERT, Action.ISOLATE, Action.ALLOW, Action.STOP,
            Action.RESTART);
    private static final Set<Action> SYSCALL_ACTIONS = Set.of(Action.KILL, Action.ALERT, Action.ISOLATE, Action.STOP, Action.RESTART);

    private final Problems problems;

    PolicyParser(Problems problems) {
        this.problems = problems;
    }

    List<Policy> parse(TomlDocument document) {
        TomlTable root = document.root(problems);
        if (ConfigFile.isConfig(root.keys())) {
            root.problem(null, "this is the daemon config (driftguard.toml), not a policy; use `driftguard config check`");
            return List.of();
        }
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
        if (table.has("name") && !POLICY_NAME.matcher(name).matches()) {
            table.problem("name", "must be letters, digits, '_', '.' or '-' (at most 128), not '" + RuleText.printable(name) + "'");
        }
        Mode mode = enumValue(table, "mode", Mode.class, Mode.ENFORCE);
        Match match = match(table);
        List<ProcessRule> process = new ArrayList<>();
        List<TomlTable> processTables = table.tables("process");
        for (int i = 0; i < processTables.size(); i++) {
            process.add(processRule(name, i, processTables.get(i)));
        }
        List<NetworkRule> network = new ArrayList<>();
        List<TomlTable> networkTables = table.tables("network");
        if (networkTables.size() > NetworkRule.MAX_PER_CONTAINER) {
            table.problem("network", networkTables.size() + " network rules; the kernel program holds at most "
                    + NetworkRule.MAX_PER_CONTAINER + " per container");
        }
        for (int i = 0; i < networkTables.size(); i++) {
            network.add(networkRule(name, i, networkTables.get(i)));
        }
        List<SyscallRule> syscalls = new ArrayList<>();
        List<TomlTable> syscallTables = table.tables("syscall");
        for (int i = 0; i < syscallTables.size(); i++) {
            syscalls.add(syscallRule(name, i, syscallTables.get(i)));
        }
        DriftRule drift = table.table("drift").map(DriftAndFileRules::drift).orElse(null);
        ProfileRule profile = table.table("profile").map(DriftAndFileRules::profile).orElse(null);
        List<FileRule> files = new ArrayList<>();
        List<TomlTable> fileTables = table.tables("file");
        for (int i = 0; i < fileTables.size(); i++) {
            files.add(DriftAndFileRules.file(name, i, fileTables.get(i)));
        }
        AdmissionRule admission = table.table("admission").map(AdmissionRules::admission).orElse(null);
        table.finish();
        if (process.isEmpty() && network.isEmpty() && syscalls.isEmpty() && drift == null && profile == null && files.isEmpty()
                && admission == null) {
            table.problem(null, "policy '" + name + "' has no rules; add at least one [[policy.process]], [[policy.network]],"
                    + " [[policy.syscall]], [policy.drift], [policy.profile], [[policy.file]] or [policy.admission]");
        }
        return Optional.of(new Policy(name, file, table.line(), mode, match, process, network, syscalls, drift, profile, files,
                admission));
    }

    private Match match(TomlTable policy) {
        Optional<TomlTable> found = policy.table("match");
        if (found.isEmpty()) {
            return new Match(Map.of(), List.of(), List.of());
        }
        TomlTable match = found.get();
        Map<String, String> labels = match.stringMap("labels");
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().isEmpty() || RuleText.hasControl(label.getKey()) || RuleText.hasControl(label.getValue())) {
                match.problem("labels", "label keys must not be empty and keys and values must not hold control characters, not '"
                        + RuleText.printable(label.getKey()) + "'");
            }
        }
        List<Glob> images = globs(match, "images", false);
        List<Glob> names = globs(match, "names", true);
        match.finish();
        return new Match(labels, images, names);
    }

    private static List<Glob> globs(TomlTable match, String key, boolean containerName) {
        List<String> texts = match.strings(key);
        if (texts.isEmpty() && match.has(key)) {
            match.problem(key, "must not be empty; leave the key out to select every container");
        }
        List<Glob> globs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = containerName && texts.get(i).startsWith("/") ? texts.get(i).substring(1) : texts.get(i);
            Optional<String> problem = Glob.problem(text);
            if (problem.isPresent()) {
                match.problem(key, i, problem.get() + ", not '" + RuleText.printable(texts.get(i)) + "'");
            } else {
                globs.add(Glob.of(text));
            }
        }
        return globs;
    }

    private ProcessRule processRule(String policyName, int index, TomlTable rule) {
        String name = RuleText.ruleName(rule, policyName + "/process[" + index + "]");
        Action action = requiredAction(rule, PROCESS_ACTIONS);
        List<String> names = RuleText.nonEmptyList(rule, "names");
        boolean byKernel = action == Action.KILL || action == Action.ISOLATE;
        for (int i = 0; i < names.size(); i++) {
            String text = names.get(i);
            if (text.isEmpty() || text.contains("/") || RuleText.hasControl(text)) {
                rule.problem("names", i, "must be a file name without '/' or control characters, such as \"bash\";"
                        + " use paths for full paths, not '" + RuleText.printable(text) + "'");
            } else if (text.contains("*") || text.contains("?") || text.contains("[")) {
                rule.problem("names", i, "names are exact file names, not patterns; use name_regex for '"
                        + RuleText.printable(text) + "'");
            } else if (byKernel && text.getBytes(StandardCharsets.UTF_8).length > ProcessRule.MAX_KERNEL_NAME_BYTES) {
                rule.problem("names", i, "a " + action.name().toLowerCase(Locale.ROOT) + " rule by name is enforced in the kernel,"
                        + " which compares at most " + ProcessRule.MAX_KERNEL_NAME_BYTES + " bytes; '" + RuleText.printable(text)
                        + "' is longer: use paths or name_regex");
            }
        }
        List<Pattern> nameRegex = regexes(rule, "name_regex");
        List<String> paths = RuleText.nonEmptyList(rule, "paths");
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.contains("//")
                    || path.contains("/./") || path.endsWith("/.") || RuleText.hasControl(path)) {
                rule.problem("paths", i, "must be an absolute, normalised path inside the container, not '"
                        + RuleText.printable(path) + "'");
            }
        }
        List<Pattern> argsRegex = regexes(rule, "args_regex");
        RuleExceptions except = ExceptTable.parse(rule, true);
        Set<Digest> sha256 = new LinkedHashSet<>();
        List<String> digests = RuleText.nonEmptyList(rule, "sha256");
        for (int i = 0; i < digests.size(); i++) {
            String digest = digests.get(i);
            String hex = digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
            try {
                sha256.add(new Digest("sha256", hex.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                rule.problem("sha256", i, "must be 64 hex digits (optionally prefixed sha256:), not '" + digest + "'");
            }
        }
        rule.finish();
        if (names.isEmpty() && nameRegex.isEmpty() && paths.isEmpty() && sha256.isEmpty()
                && !rule.has("names") && !rule.has("name_regex") && !rule.has("paths") && !rule.has("sha256")) {
            rule.problem(null, "a process rule needs at least one of names, name_regex, paths or sha256");
        }
        return new ProcessRule(name, action, names, nameRegex, paths, argsRegex, sha256, except);
    }

    private NetworkRule networkRule(String policyName, int index, TomlTable rule) {
        String name = RuleText.ruleName(rule, policyName + "/network[" + index + "]");
        Action action = requiredAction(rule, NETWORK_ACTIONS);
        List<String> cidrTexts = rule.strings("cidrs");
        List<Cidr> cidrs = cidrs(rule, "cidrs", cidrTexts);
        if (cidrTexts.isEmpty()) {
            rule.problem(rule.has("cidrs") ? "cidrs" : null,
                    "a network rule needs cidrs, e.g. [\"169.254.169.254/32\"] (\"0.0.0.0/0\" and \"::/0\" for everything)");
        }
        List<Cidr> except = cidrs(rule, "except", RuleText.nonEmptyList(rule, "except"));
        for (int i = 0; i < except.size(); i++) {
            Cidr hole = except.get(i);
            if (cidrs.stream().noneMatch(c -> c.contains(hole))) {
                rule.problem("except", i, hole + " lies outside every CIDR of the rule, so excepting it changes nothing");
            }
        }
        Set<Integer> ports = new java.util.LinkedHashSet<>();
        List<Long> portNumbers = RuleText.nonEmptyList(rule, "ports", rule.integers("ports"));
        for (int i = 0; i < portNumbers.size(); i++) {
            long port = portNumbers.get(i);
            if (port < 1 || port > 65535) {
                rule.problem("ports", i, "must be a port from 1 to 65535, not " + port);
            } else {
                ports.add((int) port);
            }
        }
        Set<Protocol> protocols = new java.util.LinkedHashSet<>();
        List<String> protocolNames = RuleText.nonEmptyList(rule, "protocols");
        for (int i = 0; i < protocolNames.size(); i++) {
            try {
                protocols.add(Protocol.valueOf(protocolNames.get(i).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                rule.problem("protocols", i, "must be tcp or udp, not '" + protocolNames.get(i) + "'");
            }
        }
        rule.finish();
        return new NetworkRule(name, action, cidrs, except, ports, protocols);
    }

    private static List<Cidr> cidrs(TomlTable rule, String key, List<String> texts) {
        List<Cidr> cidrs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                cidrs.add(Cidr.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                rule.problem(key, i, e.getMessage());
            }
        }
        return cidrs;
    }

    private SyscallRule syscallRule(String policyName, int index, TomlTable rule) {
        String name = RuleText.ruleName(rule, policyName + "/syscall[" + index + "]");
        Action action;
        if ("block".equals(rule.string("action").orElse(""))) {
            rule.problem("action", "block is not possible for syscalls: failing a call needs BPF LSM, which is not used;"
                    + " the caller can be killed (kill) or reported (alert)");
            action = Action.KILL;
        } else {
            action = requiredAction(rule, SYSCALL_ACTIONS);
        }
        List<String> names = rule.strings("names");
        for (int i = 0; i < names.size(); i++) {
            if (SYSCALLS.number(names.get(i)).isEmpty()) {
                rule.problem("names", i, "unknown syscall '" + RuleText.printable(names.get(i)) + "' on this architecture");
            }
        }
        if (names.isEmpty()) {
            rule.problem(null, "a syscall rule needs names, e.g. [\"ptrace\"]");
        }
        rule.finish();
        return new SyscallRule(name, action, names);
    }

    /** The rule's action, which must be one of {@code allowed}; shared by every rule kind. */
    static Action requiredAction(TomlTable rule, Set<Action> allowed) {
        if (!rule.has("action")) {
            rule.problem(null, "missing required key 'action' (" + names(allowed) + ")");
        }
        Action action = enumValue(rule, "action", Action.class, Action.ALERT);
        if (!allowed.contains(action)) {
            rule.problem("action", "must be one of " + names(allowed) + " here, not '" + action.name().toLowerCase(Locale.ROOT) + "'");
            return Action.ALERT;
        }
        return action;
    }

    private static String names(Set<Action> actions) {
        return String.join(", ", actions.stream().sorted().map(a -> a.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static List<Pattern> regexes(TomlTable table, String key) {
        List<String> texts = RuleText.nonEmptyList(table, key);
        List<Pattern> compiled = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isEmpty()) {
                table.problem(key, i, "an empty regex matches everything; leave it out or write \".\" on purpose");
                continue;
            }
            try {
                compiled.add(Pattern.compile(texts.get(i)));
            } catch (PatternSyntaxException e) {
                table.problem(key, i, "invalid regex: " + e.getDescription() + " in '" + RuleText.printable(texts.get(i))
                        + "' (RE2 syntax, matched in linear time: no backreferences or lookaround)");
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
