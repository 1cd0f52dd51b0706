package io.driftguard.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.ConfigProblem;

/**
 * What a command prints with {@code --json}: one object with snake_case keys. Commands without a
 * richer answer print {@code {"result": TEXT}} or {@code {"error": TEXT}}, as the daemon's control
 * socket answers {@code isolate}, {@code release} and {@code stop}; checks print their problems.
 */
public final class JsonAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnswer() {
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static String result(String text) {
        return object().put("result", text).toString();
    }

    public static String error(String text) {
        return object().put("error", text).toString();
    }

    /** {@code {"valid": false, "problems": [{"file", "line", "key", "message"}]}}: every problem of a rejected file. */
    public static ObjectNode problems(ConfigException e) {
        ObjectNode root = object().put("valid", false);
        ArrayNode list = root.putArray("problems");
        for (ConfigProblem p : e.problems()) {
            list.addObject().put("file", p.file().toString()).put("line", p.line()).put("key", p.key()).put("message", p.message());
        }
        return root;
    }
}
