package io.driftguard.core.config;

import io.driftguard.core.toml.ClosestName;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.Problems;
import io.driftguard.core.toml.TomlDocument;
import io.driftguard.core.toml.TomlTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one config file both programs read (/etc/driftguard/driftguard.toml). Each program reads its
 * own sections; top-level names that neither program knows are rejected here, so a misspelt
 * section never disables anything silently.
 */
public final class ConfigFile {
    /** Sections of the daemon ({@code docker .. metrics}), the scanner ({@code registry, scan}) and both. */
    static final Set<String> SECTIONS = Set.of(
            "docker", "policies", "enforcement", "daemon", "store", "log", "registry", "scan", "admission", "output", "metrics", "runtime");

    /**
     * Whether a TOML file with these top-level keys is this config rather than a policy file:
     * no {@code [[policy]]}, and sections of the config.
     */
    public static boolean isConfig(List<String> topLevelKeys) {
        return !topLevelKeys.contains("policy") && topLevelKeys.stream().anyMatch(SECTIONS::contains);
    }

    /** The SQLite file both programs keep their state in, unless {@code [store] path} says otherwise. */
    public static final String DEFAULT_STORE = "/var/lib/driftguard/driftguard.db";

    private final TomlDocument document;
    private final TomlTable root;
    private final Problems problems;

    private ConfigFile(TomlDocument document, Problems problems) {
        this.document = document;
        this.problems = problems;
        this.root = document.root(problems);
    }

    public static ConfigFile read(Path file) throws ConfigException {
        return new ConfigFile(TomlDocument.read(file.toAbsolutePath()), new Problems());
    }

    public static ConfigFile parse(Path file, String text) throws ConfigException {
        return new ConfigFile(TomlDocument.parse(file.toAbsolutePath(), text), new Problems());
    }

    public Path file() {
        return document.file();
    }

    public Problems problems() {
        return problems;
    }

    /** A section; absent gives an empty table, so that its defaults apply. The caller finishes it. */
    public TomlTable section(String name) {
        return root.tableOrEmpty(name);
    }

    /** The array-of-tables section {@code [[name]]}. */
    public List<TomlTable> sections(String name) {
        return root.tables(name);
    }

    /** Checks the top-level names and throws with every problem recorded by any reader. */
    public void finish() throws ConfigException {
        for (String name : root.keys()) {
            if (name.equals("policy")) {
                root.problem(name, "[[policy]] tables belong in a policy file of the policies folder, not in the config;"
                        + " check one with `driftguard policy check FILE`");
            } else if (!SECTIONS.contains(name)) {
                root.problem(name, "unknown section" + ClosestName.hint(name, SECTIONS) + " (known: "
                        + String.join(", ", new TreeSet<>(SECTIONS)) + ")");
            }
        }
        problems.throwIfAny();
    }

    /** A path setting, relative paths taken from the config file's folder. */
    public Path path(TomlTable table, String key, String fallback) {
        String value = table.string(key).orElse(fallback);
        Path path = Path.of(value);
        return path.isAbsolute() ? path : document.file().getParent().resolve(path).normalize();
    }

    /** A duration setting such as "250ms"; a bad value is a problem naming the key. */
    public static Duration duration(TomlTable table, String key, Duration fallback) {
        Optional<String> text = table.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        Optional<Duration> parsed = Durations.parse(text.get());
        if (parsed.isEmpty()) {
            table.problem(key, "must be a duration such as 250ms, 30s, 10m, 24h or 7d, not '" + text.get() + "'");
            return fallback;
        }
        return parsed.get();
    }
}
