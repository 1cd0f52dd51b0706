package io.driftguard.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A container's full id as the engine assigns it: 64 lower-case hex characters (moby's
 * stringid.GenerateRandomID). Only the full form is accepted, because an id names a directory,
 * a cgroup and an API path, where a prefix could name another container.
 */
public record ContainerId(String hex) {
    private static final Pattern FULL = Pattern.compile("[0-9a-f]{64}");
    private static final int SHORT_LENGTH = 12;

    public ContainerId {
        Objects.requireNonNull(hex, "container id");
        if (!FULL.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a full container id (64 lower-case hex characters): '"
                    + (hex.length() > 80 ? hex.substring(0, 80) + "..." : hex) + "'");
        }
    }

    /** Parses a full id; throws IllegalArgumentException saying what is wrong. */
    public static ContainerId parse(String text) {
        return new ContainerId(text);
    }

    /** The first 12 characters, as {@code docker ps} shows ids. */
    public String shortForm() {
        return hex.substring(0, SHORT_LENGTH);
    }

    /** Whether {@code prefix} (as people type ids) is the start of this id. */
    public boolean startsWith(String prefix) {
        return hex.startsWith(prefix);
    }

    /** The full id; also its JSON form. */
    @JsonValue
    @Override
    public String toString() {
        return hex;
    }
}
