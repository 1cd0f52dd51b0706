package io.driftguard.core.toml;

import java.util.HashMap;
import java.util.Map;

/**
 * Maps key paths such as {@code policy[0].process[1].names[2]} to the line where they stand.
 *
 * <p>Jackson's TOML reader builds a tree without locations, so error messages would lose the line.
 * This scanner walks the same text once and records where each key, array element and table
 * starts. It trusts Jackson for validity: on text Jackson accepts it only has to find lines.
 */
public final class TomlLineIndex {
    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, Integer> arrayTableCounts = new HashMap<>();
    private final String text;
    private int pos;
    private int line = 1;

    private TomlLineIndex(String text) {
        this.text = text;
    }

    public static TomlLineIndex of(String text) {
        TomlLineIndex index = new TomlLineIndex(text);
        try {
            index.document();
        } catch (RuntimeException malformed) {
            // Jackson reports syntax errors with their own line; keep what was indexed so far.
        }
        return index;
    }

    /** The line of the path, or of its nearest parent that has one; 0 when unknown. */
    public int lineOf(String path) {
        String current = path;
        while (!current.isEmpty()) {
            Integer found = lines.get(current);
            if (found != null) {
                return found;
            }
            current = parentOf(current);
        }
        return 0;
    }

    static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    private void document() {
        String table = "";
        while (true) {
            skipBlank(true);
            if (pos >= text.length()) {
                return;
            }
            if (peek() == '[') {
                table = header();
            } else {
                keyValue(table);
            }
        }
    }

    private String header() {
        boolean arrayTable = text.startsWith("[[", pos);
        pos += arrayTable ? 2 : 1;
        int headerLine = line;
        String resolved = "";
        String[] keys = keys();
        for (int i = 0; i < keys.length; i++) {
            String path = join(resolved, keys[i]);
            boolean last = i == keys.length - 1;
            if (last && arrayTable) {
                int count = arrayTableCounts.merge(path, 1, Integer::sum);
                lines.putIfAbsent(path, headerLine);
                path = path + "[" + (count - 1) + "]";
            } else if (arrayTableCounts.containsKey(path)) {
                path = path + "[" + (arrayTableCounts.get(path) - 1) + "]";
            }
            resolved = path;
        }
        lines.putIfAbsent(resolved, headerLine);
        pos = text.indexOf(']', pos) + (arrayTable ? 2 : 1);
        return resolved;
    }

    private void keyValue(String table) {
        int keyLine = line;
        String path = table;
        for (String key : keys()) {
            path = join(path, key);
            lines.putIfAbsent(path, keyLine);
        }
        skipBlank(false);
        if (peek() != '=') {
            throw new IllegalStateException("expected '='");
        }
        pos++;
        skipBlank(false);
        value(path);
    }

    private String[] keys() {
        StringBuilder all = new StringBuilder();
        while (true) {
            skipBlank(false);
            char c = peek();
            if (c == '"' || c == '\'') {
                int start = pos + 1;
                string();
                all.append(text, start, pos - 1);
            } else {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
                    pos++;
                }
                all.append(text, start, pos);
            }
            skipBlank(false);
            if (pos < text.length() && peek() == '.') {
                pos++;
                all.append('\u0000');
            } else {
                return all.toString().split("\u0000");
            }
        }
    }

    private void value(String path) {
        char c = peek();
        if (c == '[') {
            pos++;
            int index = 0;
            while (true) {
                skipBlank(true);
                if (peek() == ']') {
                    pos++;
                    return;
                }
                String element = path + "[" + index + "]";
                lines.putIfAbsent(element, line);
                value(element);
                skipBlank(true);
                if (peek() == ',') {
                    pos++;
                }
                index++;
            }
        } else if (c == '{') {
            pos++;
            while (true) {
                skipBlank(false);
                if (peek() == '}') {
                    pos++;
                    return;
                }
                keyValue(path);
                skipBlank(false);
                if (peek() == ',') {
                    pos++;
                }
            }
        } else if (c == '"' || c == '\'') {
            string();
        } else {
            while (pos < text.length() && ",]}\n#".indexOf(peek()) < 0) {
                pos++;
            }
        }
    }

    private void string() {
        char quote = peek();
        String triple = String.valueOf(quote).repeat(3);
        boolean multi = text.startsWith(triple, pos);
        pos += multi ? 3 : 1;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && quote == '"') {
                pos += 2;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            if (multi ? text.startsWith(triple, pos) : c == quote) {
                pos += multi ? 3 : 1;
                // A multi-line string may end with up to two extra quotes.
                while (multi && pos < text.length() && peek() == quote) {
                    pos++;
                }
                return;
            }
            pos++;
        }
    }

    private void skipBlank(boolean newlines) {
        while (pos < text.length()) {
            char c = peek();
            if (c == '#') {
                while (pos < text.length() && peek() != '\n') {
                    pos++;
                }
            } else if (c == '\n' && newlines) {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw new IllegalStateException("unexpected end of file");
        }
        return text.charAt(pos);
    }

    private static String join(String base, String key) {
        return base.isEmpty() ? key : base + "." + key;
    }
}
