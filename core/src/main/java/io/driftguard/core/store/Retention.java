package io.driftguard.core.store;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.toml.TomlTable;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long and how much the event store keeps, from {@code [store] max_age} and {@code max_size}. */
public record Retention(Duration maxAge, long maxBytes) {
    public static final Retention DEFAULT = new Retention(Duration.ofDays(30), 1L << 30);
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");

    /** Reads the two keys of {@code [store]}; bad values are problems naming the key. */
    public static Retention read(TomlTable store) {
        Duration maxAge = ConfigFile.duration(store, "max_age", DEFAULT.maxAge());
        if (maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
            store.problem("max_age", "must be at least 1m");
        }
        long maxBytes = DEFAULT.maxBytes();
        Optional<String> text = store.string("max_size");
        if (text.isPresent()) {
            Optional<Long> parsed = bytes(text.get().trim());
            if (parsed.isEmpty() || parsed.get() < (1L << 20)) {
                store.problem("max_size", "must be a size of at least 1MiB such as 500MB or 2GiB, not '" + text.get() + "'");
            } else {
                maxBytes = parsed.get();
            }
        }
        return new Retention(maxAge, maxBytes);
    }

    static Optional<Long> bytes(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long unit = switch (m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT)) {
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            default -> 1L;
        };
        return Optional.of(Long.parseLong(m.group(1)) * unit);
    }
}
