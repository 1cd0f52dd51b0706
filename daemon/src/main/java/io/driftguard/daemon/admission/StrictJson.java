package io.driftguard.daemon.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a request body the way nobody can read differently from Docker. Docker's decoder (Go's
 * encoding/json) takes the last of duplicate keys, matches keys case-insensitively with Unicode
 * folding (so "privileged" and "Privileged" are one field) and ignores what follows the first
 * value; a body where this parser and Docker's could disagree is refused instead.
 */
final class StrictJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJson() {
    }

    /** The body as a tree; throws {@link Unjudgeable} saying why it cannot be read safely. */
    static JsonNode parse(byte[] body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Unjudgeable("the request body is not one JSON value with unique keys: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Unjudgeable("the request body cannot be read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new Unjudgeable("the request body is empty");
        }
        if (!tree.isObject()) {
            throw new Unjudgeable("the request body is not a JSON object");
        }
        rejectCaseVariants(tree, "");
        return tree;
    }

    /** Docker's view of an object's field: the one key that folds to {@code name}, if any. */
    static Optional<JsonNode> field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return Optional.empty();
        }
        String wanted = fold(name);
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (fold(field.getKey()).equals(wanted)) {
                return field.getValue().isNull() ? Optional.empty() : Optional.of(field.getValue());
            }
        }
        return Optional.empty();
    }

    /** Case folding as Go's encoding/json does it for keys: the Kelvin sign is k, the long s is s. */
    static String fold(String key) {
        return key.replace('\u212A', 'k').replace('\u017F', 's').toLowerCase(Locale.ROOT);
    }

    private static void rejectCaseVariants(JsonNode node, String path) {
        if (node.isObject()) {
            Map<String, String> seen = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String earlier = seen.putIfAbsent(fold(field.getKey()), field.getKey());
                if (earlier != null) {
                    throw new Unjudgeable("the request body has the key " + path + field.getKey() + " twice, spelled '"
                            + earlier + "' and '" + field.getKey() + "' (Docker reads keys regardless of case)");
                }
                rejectCaseVariants(field.getValue(), path + field.getKey() + ".");
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                rejectCaseVariants(element, path);
            }
        }
    }
}
