package io.driftguard.scan.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.model.Digest;
import io.driftguard.scan.net.Printable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses manifest bytes. The media type is the manifest's own {@code mediaType} field, else the
 * Content-Type it was served with; anything not in {@link MediaTypes#MANIFEST_ACCEPT} is refused,
 * as are descriptors with a bad digest or size, so nothing unchecked reaches a URL.
 */
public final class ManifestParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestParser() {
    }

    public static Manifest parse(byte[] bytes, String contentType) throws MalformedManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedManifestException("invalid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new MalformedManifestException("not a JSON object");
        }
        String mediaType = root.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        }
        if (MediaTypes.isIndex(mediaType)) {
            return index(mediaType, root);
        }
        if (MediaTypes.isImageManifest(mediaType)) {
            List<Descriptor> layers = new ArrayList<>();
            JsonNode list = root.path("layers");
            if (!list.isArray()) {
                throw new MalformedManifestException("image manifest without a layers array");
            }
            for (int i = 0; i < list.size(); i++) {
                layers.add(descriptor(list.get(i), "layers[" + i + "]"));
            }
            return new Manifest.Image(mediaType, descriptor(root.path("config"), "config"), layers);
        }
        throw new MalformedManifestException("unknown media type '" + Printable.of(mediaType) + "'"
                + (root.path("schemaVersion").asInt() == 1 ? " (schema 1 manifests are not supported)" : ""));
    }

    private static Manifest.Index index(String mediaType, JsonNode root) throws MalformedManifestException {
        JsonNode list = root.path("manifests");
        if (!list.isArray()) {
            throw new MalformedManifestException("index without a manifests array");
        }
        List<Manifest.PlatformManifest> manifests = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String platform = platform(entry.path("platform"));
            // Attestation entries share "unknown/unknown"; number repeats so each keeps its own history.
            int count = seen.merge(platform, 1, Integer::sum);
            String key = count == 1 ? platform : platform + "#" + count;
            manifests.add(new Manifest.PlatformManifest(key, descriptor(entry, "manifests[" + i + "]")));
        }
        return new Manifest.Index(mediaType, manifests);
    }

    private static String platform(JsonNode platform) {
        String os = platform.path("os").asText("unknown");
        String arch = platform.path("architecture").asText("unknown");
        String variant = platform.path("variant").asText("");
        // Registry-sent text that ends up in messages and the store.
        return Printable.of(os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant));
    }

    private static Descriptor descriptor(JsonNode node, String where) throws MalformedManifestException {
        if (!node.isObject()) {
            throw new MalformedManifestException(where + " is not a descriptor object");
        }
        Digest digest;
        try {
            digest = Digest.parse(node.path("digest").asText(""));
        } catch (IllegalArgumentException e) {
            throw new MalformedManifestException(where + ".digest: " + e.getMessage());
        }
        JsonNode size = node.path("size");
        if (!size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            throw new MalformedManifestException(where + ".size must be a non-negative integer");
        }
        return new Descriptor(node.path("mediaType").asText(""), digest, size.asLong());
    }
}
