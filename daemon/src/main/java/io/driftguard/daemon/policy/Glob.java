package io.driftguard.daemon.policy;

import com.google.re2j.Pattern;
import io.driftguard.core.text.Printable;
import java.util.Optional;

/** A shell-style pattern for names and image references: '*' any run of characters, '?' one. */
public record Glob(String text, Pattern pattern) {

    /** Why {@code text} is not a usable glob: empty, control characters, or wildcards this syntax does not have. */
    public static Optional<String> problem(String text) {
        if (text.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (text.codePoints().anyMatch(Printable::isControl)) {
            return Optional.of("must not hold control characters");
        }
        if (text.chars().anyMatch(c -> c == '[' || c == ']' || c == '{' || c == '}' || c == '\\')) {
            return Optional.of("only '*' and '?' are wildcards here; '[', ']', '{', '}' and '\\' are not supported");
        }
        return Optional.empty();
    }

    public static Glob of(String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(text, Pattern.compile(regex.toString()));
    }

    public boolean matches(String value) {
        return value != null && pattern.matcher(value).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
