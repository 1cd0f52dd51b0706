package io.driftguard.core.toml;

import java.nio.file.Path;

/** One problem found while reading a TOML file: where it is and what is wrong. */
public record ConfigProblem(Path file, int line, String key, String message) {

    @Override
    public String toString() {
        StringBuilder where = new StringBuilder(file.toString());
        if (line > 0) {
            where.append(':').append(line);
        }
        if (key != null && !key.isEmpty()) {
            where.append(": ").append(key);
        }
        return where + ": " + message;
    }
}
