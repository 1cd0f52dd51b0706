package io.driftguard.daemon.policy;

import io.driftguard.core.text.Printable;
import io.driftguard.core.toml.TomlTable;
import java.util.List;

/** Checks shared by every rule kind on the texts a policy gives: names, lists, control characters. */
final class RuleText {
    private static final int MAX_RULE_NAME = 128;

    private RuleText() {
    }

    /** The rule's {@code name}, or {@code fallback} when absent; an empty, over-long or control-character name is a problem. */
    static String ruleName(TomlTable rule, String fallback) {
        if (!rule.has("name")) {
            return fallback;
        }
        String name = rule.string("name").orElse(fallback);
        if (name.isBlank() || name.length() > MAX_RULE_NAME || hasControl(name)) {
            rule.problem("name", "a rule name must be 1 to " + MAX_RULE_NAME + " printable characters, not '" + printable(name)
                    + "'; leave it out for the default " + fallback);
        }
        return name;
    }

    /** The strings at {@code key}; present but empty is a problem, since an empty list would select nothing or everything. */
    static List<String> nonEmptyList(TomlTable table, String key) {
        return nonEmptyList(table, key, table.strings(key));
    }

    static <T> List<T> nonEmptyList(TomlTable table, String key, List<T> values) {
        if (values.isEmpty() && table.has(key)) {
            table.problem(key, "must not be empty; leave the key out instead");
        }
        return values;
    }

    /** NUL, newlines, escapes and the other C0/C1 controls: never part of a name, path or label a policy means. */
    static boolean hasControl(String text) {
        return text.codePoints().anyMatch(Printable::isControl);
    }

    static String printable(String text) {
        return Printable.escape(text);
    }
}
