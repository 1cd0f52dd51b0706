package io.driftguard.daemon.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a strict body with Docker's types: a value of another type than Docker's decoder
 * takes makes the request unjudgeable (Docker would refuse it too, but the plugin does not guess).
 */
final class Fields {
    private Fields() {
    }

    static Optional<JsonNode> object(JsonNode parent, String name) {
        Optional<JsonNode> value = StrictJson.field(parent, name);
        if (value.isPresent() && !value.get().isObject()) {
            throw new Unjudgeable(name + " is not an object");
        }
        return value;
    }

    static boolean bool(JsonNode parent, String name) {
        Optional<JsonNode> value = StrictJson.field(parent, name);
        if (value.isPresent() && !value.get().isBoolean()) {
            throw new Unjudgeable(name + " is not true or false");
        }
        return value.map(JsonNode::asBoolean).orElse(false);
    }

    static String string(JsonNode parent, String name) {
        Optional<JsonNode> value = StrictJson.field(parent, name);
        if (value.isPresent() && !value.get().isTextual()) {
            throw new Unjudgeable(name + " is not a string");
        }
        return value.map(JsonNode::asText).orElse("");
    }

    /** A list of strings; {@code orString} for Docker's StrSlice, which also takes one string. */
    static List<String> strings(JsonNode parent, String name, boolean orString) {
        Optional<JsonNode> value = StrictJson.field(parent, name);
        List<String> result = new ArrayList<>();
        if (value.isEmpty()) {
            return result;
        }
        if (orString && value.get().isTextual()) {
            result.add(value.get().asText());
            return result;
        }
        if (!value.get().isArray()) {
            throw new Unjudgeable(name + " is not a list of strings");
        }
        for (JsonNode element : value.get()) {
            if (!element.isTextual()) {
                throw new Unjudgeable(name + " is not a list of strings");
            }
            result.add(element.asText());
        }
        return result;
    }

    /** A list of objects. */
    static List<JsonNode> objects(JsonNode parent, String name) {
        Optional<JsonNode> value = StrictJson.field(parent, name);
        List<JsonNode> result = new ArrayList<>();
        if (value.isEmpty()) {
            return result;
        }
        if (!value.get().isArray()) {
            throw new Unjudgeable(name + " is not a list");
        }
        for (JsonNode element : value.get()) {
            if (!element.isObject()) {
                throw new Unjudgeable(name + " is not a list of objects");
            }
            result.add(element);
        }
        return result;
    }

    /** A map of strings (labels, driver options). */
    static Map<String, String> stringMap(JsonNode parent, String name) {
        Map<String, String> result = new LinkedHashMap<>();
        Optional<JsonNode> value = object(parent, name);
        if (value.isEmpty()) {
            return result;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = value.get().fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw new Unjudgeable(name + "." + field.getKey() + " is not a string");
            }
            result.put(field.getKey(), field.getValue().asText());
        }
        return result;
    }

    /** Whether the key is there at all, even as an empty list or null (MaskedPaths: [] unmasks /proc). */
    static boolean present(JsonNode parent, String name) {
        if (parent == null) {
            return false;
        }
        Iterator<String> names = parent.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (StrictJson.fold(key).equals(StrictJson.fold(name)) && !parent.get(key).isNull()) {
                return true;
            }
        }
        return false;
    }
}
