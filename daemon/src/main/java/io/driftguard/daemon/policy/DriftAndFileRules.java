package io.driftguard.daemon.policy;

import io.driftguard.core.config.Durations;
import io.driftguard.core.toml.TomlTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict parsing of {@code [policy.drift]}, {@code [policy.profile]} and {@code [[policy.file]]}. */
final class DriftAndFileRules {
    private static final Pattern COUNT = Pattern.compile("(\\d{1,9})( execs?)?");

    /**
     * Not kill: a drifted or unprofiled file is stopped before it runs. Stop and restart block the exec
     * first; on a file rule they watch as alert does (the write has happened), then respond through Docker.
     */
    private static final Set<Action> ACTIONS = Set.of(Action.BLOCK, Action.ALERT, Action.STOP, Action.RESTART);

    private DriftAndFileRules() {
    }

    static DriftRule drift(TomlTable table) {
        Action action = PolicyParser.requiredAction(table, ACTIONS);
        RuleExceptions except = ExceptTable.parse(table, true);
        table.finish();
        return new DriftRule(action, except);
    }

    static ProfileRule profile(TomlTable table) {
        ProfileRule.ProfileMode mode = PolicyParser.enumValue(table, "mode", ProfileRule.ProfileMode.class,
                ProfileRule.ProfileMode.LEARN);
        if (!table.has("mode")) {
            table.problem(null, "missing required key 'mode' (learn or enforce)");
        }
        Action action = table.has("action") ? PolicyParser.requiredAction(table, ACTIONS) : Action.ALERT;
        Duration learnFor = null;
        Long learnCount = null;
        Optional<String> text = table.string("learn_for");
        if (text.isPresent()) {
            Matcher count = COUNT.matcher(text.get().trim());
            Optional<Duration> duration = Durations.parse(text.get());
            if (duration.isPresent() && !duration.get().isZero()) {
                learnFor = duration.get();
            } else if (count.matches() && Long.parseLong(count.group(1)) > 0) {
                learnCount = Long.parseLong(count.group(1));
            } else {
                table.problem("learn_for", "must be a duration such as 24h or a count of executables such as "
                        + "\"200 execs\", not '" + text.get() + "'");
            }
        } else if (mode == ProfileRule.ProfileMode.LEARN && !table.has("learn_for")) {
            table.problem(null, "mode learn needs learn_for (a duration such as \"24h\" or a count such as \"200 execs\")");
        }
        table.finish();
        return new ProfileRule(mode, learnFor, learnCount, action);
    }

    static FileRule file(String policyName, int index, TomlTable table) {
        String name = RuleText.ruleName(table, policyName + "/file[" + index + "]");
        Action action = PolicyParser.requiredAction(table, ACTIONS);
        String access = table.string("access").orElse("write");
        if (!access.equals("write")) {
            table.problem("access", "must be write (the only access watched so far), not '" + access + "'");
        }
        List<PathGlob> paths = new ArrayList<>();
        List<String> texts = table.strings("paths");
        for (int i = 0; i < texts.size(); i++) {
            Optional<PathGlob> glob = PathGlob.parse(texts.get(i));
            if (glob.isEmpty()) {
                table.problem("paths", i, "must be an absolute, normalised path pattern such as \"/etc/nginx/**\""
                        + " ('**' a whole path element; '*' and '?' the only wildcards), not '" + RuleText.printable(texts.get(i)) + "'");
            } else if (action == Action.BLOCK && !glob.get().isWholeTree()) {
                table.problem("paths", i, "a block rule makes whole trees read-only: use a path or a path ending in /**, not '"
                        + texts.get(i) + "'");
            } else if (action == Action.BLOCK && glob.get().base().equals("/")) {
                table.problem("paths", i, "a block rule cannot make the whole container read-only; use docker run --read-only");
            } else {
                paths.add(glob.get());
            }
        }
        RuleExceptions except = ExceptTable.parse(table, false);
        if (action == Action.BLOCK && !except.isEmpty()) {
            table.problem("except", "a block rule makes whole trees read-only and cannot leave holes in them; except is for alert rules");
        }
        table.finish();
        if (texts.isEmpty()) {
            table.problem(null, "a file rule needs paths, such as paths = [\"/etc/nginx/**\"]");
        }
        return new FileRule(name, paths, action, except);
    }
}
