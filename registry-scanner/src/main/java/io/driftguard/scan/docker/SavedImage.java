package io.driftguard.scan.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.model.Digest;
import io.driftguard.scan.layer.HostileTarException;
import io.driftguard.scan.layer.LayerContent;
import io.driftguard.scan.layer.LayerReader;
import io.driftguard.scan.layer.TarEntry;
import io.driftguard.scan.layer.TarLimits;
import io.driftguard.scan.layer.TarStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code docker save} archive read as it streams from the engine, never written to disk: its
 * {@code manifest.json}, the image config, and each layer tar read by {@link LayerReader} while
 * its SHA-256 (the layer's diff id) is computed. Entries come in any order (the engine writes a
 * folder's files sorted by name), so layers are kept by their path in the archive until
 * manifest.json says which are the image's, in which order. Both the classic layout
 * ({@code ID/layer.tar}) and the OCI layout of newer engines ({@code blobs/sha256/HEX}) are read.
 *
 * @param imageId the config's digest: what the engine calls the image
 * @param layers the layers in order, each with the diff id its bytes hash to
 * @param problems what did not add up (a layer hashing to other than the config's diff id), each a finding
 */
public record SavedImage(Digest imageId, JsonNode config, List<Layer> layers, List<String> problems) {
    /** One layer: the digest its uncompressed tar hashes to, and what it holds. */
    public record Layer(Digest diffId, LayerContent content) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_JSON_BYTES = 8 << 20;
    /** The archive's own entries: one image has few; a stream with more is not a save archive. */
    private static final TarLimits ARCHIVE = new TarLimits(Long.MAX_VALUE, 100_000, 1 << 20, MAX_JSON_BYTES, 0);

    public SavedImage {
        layers = List.copyOf(layers);
        problems = List.copyOf(problems);
    }

    static SavedImage read(InputStream archive, LayerReader reader) throws IOException {
        TarStream tar = new TarStream(archive, ARCHIVE);
        Map<String, byte[]> documents = new HashMap<>();
        Map<String, Layer> layers = new HashMap<>();
        for (TarEntry entry = tar.next(); entry != null; entry = tar.next()) {
            if (entry.type() != TarEntry.Type.FILE) {
                continue;
            }
            String path = entry.path();
            BufferedInputStream content = new BufferedInputStream(tar.content(), 1 << 16);
            if (json(content, entry)) {
                documents.put(path, content.readNBytes(MAX_JSON_BYTES));
            } else if (path.endsWith("/layer.tar") || path.startsWith("blobs/")) {
                MessageDigest hasher = Digest.sha256Hasher();
                DigestInputStream hashing = new DigestInputStream(content, hasher);
                LayerContent read = reader.read(hashing);
                layers.put(path, new Layer(Digest.of(Digest.SHA256, hasher.digest()), read));
            }
        }
        return assemble(documents, layers);
    }

    /** A small entry that starts like JSON: manifest.json, the config, OCI index and manifests. */
    private static boolean json(BufferedInputStream content, TarEntry entry) throws IOException {
        if (entry.size() > MAX_JSON_BYTES) {
            return false;
        }
        content.mark(1);
        int first = content.read();
        content.reset();
        return first == '{' || first == '[';
    }

    private static SavedImage assemble(Map<String, byte[]> documents, Map<String, Layer> layers) throws IOException {
        byte[] manifestBytes = documents.get("manifest.json");
        if (manifestBytes == null) {
            throw new HostileTarException("the engine's archive has no manifest.json: not a docker save archive");
        }
        JsonNode manifest = JSON.readTree(manifestBytes);
        if (!manifest.isArray() || manifest.size() != 1 || !manifest.get(0).path("Config").isTextual()) {
            throw new HostileTarException("the archive's manifest.json does not describe exactly one image");
        }
        JsonNode image = manifest.get(0);
        byte[] configBytes = documents.get(image.path("Config").asText());
        if (configBytes == null) {
            throw new HostileTarException("the archive has no config " + image.path("Config").asText());
        }
        JsonNode config = JSON.readTree(configBytes);
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        List<Layer> ordered = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (JsonNode path : image.path("Layers")) {
            Layer layer = layers.get(path.asText());
            if (layer == null) {
                throw new HostileTarException("the archive lacks layer " + path.asText() + " that its manifest.json lists");
            }
            String expected = diffIds.path(i).asText("");
            if (!expected.equals(layer.diffId().toString())) {
                problems.add("layer " + (i + 1) + " (" + path.asText() + ") hashes to " + layer.diffId()
                        + ", the image config gives " + (expected.isEmpty() ? "none" : expected));
            }
            ordered.add(layer);
            i++;
        }
        return new SavedImage(Digest.sha256(configBytes), config, ordered, problems);
    }
}
