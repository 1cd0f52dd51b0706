package io.driftguard.core.toml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A strict view of one TOML table. Every getter records the key it read; {@link #finish()} reports
 * the keys that nobody read, so that a misspelt setting is an error rather than silently ignored.
 * Type errors are recorded as problems with file, line and key, and the getter returns nothing.
 */
public final class TomlTable {
    private final TomlDocument document;
    private final ObjectNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> read = new HashSet<>();

    TomlTable(TomlDocument document, ObjectNode node, String path, Problems problems) {
        this.document = document;
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The dotted path of this table, e.g. {@code policy[0].process[1]}. */
    public String path() {
        return path;
    }

    public TomlDocument document() {
        return document;
    }

    public int line() {
        return document.lineOf(path);
    }

    public boolean has(String key) {
        return node.has(key);
    }

    /** The keys of this table in file order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public boolean isEmpty() {
        return node.isEmpty();
    }

    /** The path of a key in this table, for messages. */
    public String keyPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Records a problem at a key of this table (or at the table when key is null). */
    public void problem(String key, String message) {
        problems.add(document.problem(key == null ? path : keyPath(key), message));
    }

    /** Records a problem at one element of an array key. */
    public void problem(String key, int index, String message) {
        problems.add(document.problem(keyPath(key) + "[" + index + "]", message));
    }

    public Optional<String> string(String key) {
        return scalar(key, JsonNode::isTextual, JsonNode::asText, "a string");
    }

    public String requiredString(String key) {
        Optional<String> value = string(key);
        if (value.isEmpty() && !node.has(key)) {
            problem(null, "missing required key '" + key + "'");
        }
        return value.orElse("");
    }

    public Optional<Boolean> bool(String key) {
        return scalar(key, JsonNode::isBoolean, JsonNode::asBoolean, "true or false");
    }

    public Optional<Long> integer(String key) {
        return scalar(key, JsonNode::isIntegralNumber, JsonNode::asLong, "an integer");
    }

    /** An array of strings; absent means empty. */
    public List<String> strings(String key) {
        return array(key, JsonNode::isTextual, JsonNode::asText, "a string");
    }

    /** An array of integers; absent means empty. */
    public List<Long> integers(String key) {
        return array(key, JsonNode::isIntegralNumber, JsonNode::asLong, "an integer");
    }

    /** An inline or standard table of string values; absent means empty. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        Optional<TomlTable> table = table(key);
        if (table.isEmpty()) {
            return result;
        }
        TomlTable inner = table.get();
        Iterator<Map.Entry<String, JsonNode>> fields = inner.node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            inner.read.add(field.getKey());
            if (field.getValue().isTextual()) {
                result.put(field.getKey(), field.getValue().asText());
            } else {
                inner.problem(field.getKey(), "must be a string");
            }
        }
        return result;
    }

    /** A sub-table; absent gives empty. The caller must {@link #finish()} it. */
    public Optional<TomlTable> table(String key) {
        read.add(key);
        JsonNode value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            problem(key, "must be a table");
            return Optional.empty();
        }
        return Optional.of(new TomlTable(document, (ObjectNode) value, keyPath(key), problems));
    }

    /** A sub-table, or an empty one when absent, so that defaults apply. The caller must {@link #finish()} it. */
    public TomlTable tableOrEmpty(String key) {
        return table(key).orElseGet(() -> new TomlTable(document,
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), keyPath(key), problems));
    }

    /** An array of tables ({@code [[key]]}); absent gives an empty list. */
    public List<TomlTable> tables(String key) {
        read.add(key);
        JsonNode value = node.get(key);
        List<TomlTable> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (!value.isArray()) {
            problem(key, "must be an array of tables ([[" + keyPath(key) + "]])");
            return result;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = keyPath(key) + "[" + i + "]";
            if (element.isObject()) {
                result.add(new TomlTable(document, (ObjectNode) element, elementPath, problems));
            } else {
                problems.add(document.problem(elementPath, "must be a table"));
            }
        }
        return result;
    }

    /**
     * Reports every key of this table that no getter asked for, with the nearest key that was
     * asked for (and is not set) as a "did you mean".
     */
    public void finish() {
        Set<String> unset = new TreeSet<>(read);
        unset.removeAll(keys());
        for (String name : keys()) {
            if (!read.contains(name)) {
                problem(name, "unknown key" + ClosestName.hint(name, unset));
            }
        }
    }

    private <T> Optional<T> scalar(String key, java.util.function.Predicate<JsonNode> type,
                                   Function<JsonNode, T> convert, String expected) {
        read.add(key);
        JsonNode value = node.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!type.test(value)) {
            problem(key, "must be " + expected);
            return Optional.empty();
        }
        return Optional.of(convert.apply(value));
    }

    private <T> List<T> array(String key, java.util.function.Predicate<JsonNode> type,
                              Function<JsonNode, T> convert, String expected) {
        read.add(key);
        JsonNode value = node.get(key);
        List<T> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (!value.isArray()) {
            problem(key, "must be an array of " + expected.replaceFirst("^an? ", "") + "s");
            return result;
        }
        for (int i = 0; i < value.size(); i++) {
            if (type.test(value.get(i))) {
                result.add(convert.apply(value.get(i)));
            } else {
                problem(key, i, "must be " + expected);
            }
        }
        return result;
    }
}
