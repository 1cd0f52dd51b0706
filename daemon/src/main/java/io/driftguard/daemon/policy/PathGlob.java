package io.driftguard.daemon.policy;

import com.google.re2j.Pattern;
import io.driftguard.core.text.Printable;
import java.util.Arrays;
import java.util.Optional;

/**
 * A path pattern inside a container: '**' any run of characters including '/', '*' and '?' within
 * one path element. {@code base} is the directory (or file) before the first wildcard: what has to
 * be watched, or made read-only, for the pattern to be covered.
 */
public record PathGlob(String text, Pattern pattern, String base) {

    /**
     * The glob, or empty when {@code text} is not an absolute, normalised path pattern whose
     * {@code **} are whole path elements and whose only wildcards are '*' and '?'.
     */
    public static Optional<PathGlob> parse(String text) {
        if (!text.startsWith("/") || text.contains("//") || text.contains("/../") || text.endsWith("/..")
                || text.contains("/./") || text.endsWith("/.") || text.contains("***")
                || text.codePoints().anyMatch(Printable::isControl)
                || text.chars().anyMatch(c -> c == '[' || c == ']' || c == '{' || c == '}' || c == '\\')
                || Arrays.stream(text.split("/")).anyMatch(e -> e.contains("**") && !e.equals("**"))) {
            return Optional.empty();
        }
        StringBuilder regex = new StringBuilder();
        int firstWildcard = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '*' || c == '?') && firstWildcard < 0) {
                firstWildcard = i;
            }
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        String literal = firstWildcard < 0 ? text : text.substring(0, text.lastIndexOf('/', firstWildcard));
        String base = literal.length() > 1 && literal.endsWith("/") ? literal.substring(0, literal.length() - 1) : literal;
        return Optional.of(new PathGlob(text, Pattern.compile(regex.toString()), base.isEmpty() ? "/" : base));
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    /** Whether the pattern is exactly "a path and everything below it" (or a single path). */
    public boolean isWholeTree() {
        return text.equals(base) || text.equals(base + "/**") || (base.equals("/") && text.equals("/**"));
    }

    @Override
    public String toString() {
        return text;
    }
}
