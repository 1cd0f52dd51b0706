package io.driftguard.scan.auth;

import io.driftguard.scan.net.Printable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge (RFC 7235): a scheme and its auth-params, such as
 * {@code Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"}.
 * Quoted values may contain commas (scopes often do) and backslash escapes.
 */
public record Challenge(String scheme, Map<String, String> params) {

    public Challenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every challenge in the given header values; a value that cannot be parsed is an error. */
    public static List<Challenge> parseAll(List<String> headers) {
        List<Challenge> result = new ArrayList<>();
        for (String header : headers) {
            result.addAll(new Parser(header).challenges());
        }
        return result;
    }

    /** A small scanner over one header value: token, '=' and quoted-string, comma-separated. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        List<Challenge> challenges() {
            List<Challenge> challenges = new ArrayList<>();
            skipSeparators();
            while (pos < text.length()) {
                String scheme = token();
                if (scheme.isEmpty()) {
                    throw new IllegalArgumentException("malformed WWW-Authenticate '" + Printable.of(text) + "' at " + pos);
                }
                Map<String, String> params = new LinkedHashMap<>();
                skipSpaces();
                // Params follow until the next "token SP" that starts another challenge.
                while (pos < text.length() && !startsNewChallenge()) {
                    String name = token().toLowerCase(Locale.ROOT);
                    skipSpaces();
                    if (name.isEmpty() || !consume('=')) {
                        throw new IllegalArgumentException("malformed WWW-Authenticate '" + Printable.of(text) + "' at " + pos);
                    }
                    skipSpaces();
                    params.put(name, pos < text.length() && text.charAt(pos) == '"' ? quoted() : token());
                    skipSeparators();
                }
                challenges.add(new Challenge(scheme, params));
                skipSeparators();
            }
            return challenges;
        }

        private boolean startsNewChallenge() {
            int save = pos;
            String word = token();
            boolean next = !word.isEmpty() && (pos >= text.length() || text.charAt(pos) == ' ')
                    && !followedByEquals();
            pos = save;
            return next;
        }

        private boolean followedByEquals() {
            int p = pos;
            while (p < text.length() && text.charAt(p) == ' ') {
                p++;
            }
            return p < text.length() && text.charAt(p) == '=';
        }

        private String token() {
            int start = pos;
            while (pos < text.length() && isTokenChar(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != '"') {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            if (!consume('"')) {
                throw new IllegalArgumentException("unterminated quoted value in WWW-Authenticate '" + Printable.of(text) + "'");
            }
            return value.toString();
        }

        private boolean consume(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void skipSpaces() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        private void skipSeparators() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == ',')) {
                pos++;
            }
        }

        /** RFC 7230 tchar, plus '/' so that token68-like values such as realm=/token pass. */
        private static boolean isTokenChar(char c) {
            return c > ' ' && c < 127 && "\"(),;<=>?@[\\]{}".indexOf(c) < 0 || c == '/' || c == ':' || c == '?' || c == '@';
        }
    }
}
