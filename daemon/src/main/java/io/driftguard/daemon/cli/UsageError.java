package io.driftguard.daemon.cli;

import java.util.function.Supplier;
import picocli.CommandLine.TypeConversionException;

/** A bad option value found by a command itself: one line on stderr and exit 2, as picocli's own usage errors. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }

    /** The value {@code parse} makes of an option's text; its conversion error becomes a usage error naming the option. */
    static <T> T of(String option, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (TypeConversionException e) {
            throw new UsageError(option + ": " + e.getMessage());
        }
    }
}
