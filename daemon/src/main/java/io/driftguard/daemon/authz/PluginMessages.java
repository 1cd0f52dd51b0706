package io.driftguard.daemon.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.daemon.admission.AuthzRequest;
import io.driftguard.daemon.admission.Verdict;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of Docker's authorization plugin protocol (moby pkg/authorization/api.go): a Request
 * with RequestMethod, RequestUri, RequestHeaders, RequestBody (base64) and, for AuthZRes, the
 * response fields; a Response of Allow, Msg and Err.
 */
final class PluginMessages {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ACTIVATE = "{\"Implements\":[\"authz\"]}";

    private PluginMessages() {
    }

    static AuthzRequest request(byte[] json) throws IOException {
        JsonNode node = JSON.readTree(json);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        node.path("RequestHeaders").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return new AuthzRequest(node.path("User").asText(""), node.path("RequestMethod").asText(""),
                node.path("RequestUri").asText(""), headers, bytes(node.path("RequestBody")),
                node.path("ResponseStatusCode").asInt(0), bytes(node.path("ResponseBody")));
    }

    static byte[] response(Verdict verdict) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("Allow", verdict.allow());
        if (!verdict.message().isEmpty()) {
            answer.put("Msg", verdict.message());
        }
        return answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A failure of the plugin itself: Docker shows Err and refuses the request. */
    static byte[] error(String message) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("Allow", false);
        answer.put("Err", message);
        return answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode node) throws IOException {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IOException("a body field is not base64 text");
        }
        try {
            return Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw new IOException("a body field is not valid base64");
        }
    }
}
