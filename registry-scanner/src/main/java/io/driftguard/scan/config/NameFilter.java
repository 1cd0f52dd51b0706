package io.driftguard.scan.config;

import java.util.Optional;
import java.util.regex.Pattern;

/** Which repository or tag names are scanned: all that match include (if set) and not exclude. */
public record NameFilter(Optional<Pattern> include, Optional<Pattern> exclude) {
    public static final NameFilter ALL = new NameFilter(Optional.empty(), Optional.empty());

    /** Both patterns must match the whole name, so "prod" never matches "preprod". */
    public boolean accepts(String name) {
        return include.map(p -> p.matcher(name).matches()).orElse(true)
                && !exclude.map(p -> p.matcher(name).matches()).orElse(false);
    }
}
