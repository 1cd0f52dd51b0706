package io.driftguard.scan.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.model.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image manifest and config read from a registry, which a test can extend with layers and push
 * again: new layers are appended to the manifest and their diff_ids and history to the config.
 */
final class RegistryImage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String repository;
    private final ObjectNode manifest;
    private final ObjectNode config;
    private final String mediaType;
    private final Map<Digest, byte[]> newBlobs;
    private final List<String> added;

    private RegistryImage(String repository, ObjectNode manifest, ObjectNode config, String mediaType,
                          Map<Digest, byte[]> newBlobs, List<String> added) {
        this.repository = repository;
        this.manifest = manifest;
        this.config = config;
        this.mediaType = mediaType;
        this.newBlobs = newBlobs;
        this.added = added;
    }

    static RegistryImage fetch(URI registry, String repository, String tag) throws Exception {
        HttpResponse<byte[]> m = HTTP.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/manifests/" + tag))
                .header("Accept", "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        ObjectNode manifest = (ObjectNode) JSON.readTree(m.body());
        String configDigest = manifest.path("config").path("digest").asText();
        HttpResponse<byte[]> c = HTTP.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/blobs/" + configDigest))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        return new RegistryImage(repository, manifest, (ObjectNode) JSON.readTree(c.body()),
                m.headers().firstValue("Content-Type").orElseThrow(), new LinkedHashMap<>(), List.of());
    }

    /** This image with layers added on top. */
    RegistryImage withLayers(LayerTar... layers) {
        ObjectNode m = manifest.deepCopy();
        ObjectNode c = config.deepCopy();
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<String> digests = new ArrayList<>();
        String layerType = manifest.path("layers").get(0).path("mediaType").asText();
        for (LayerTar layer : layers) {
            Digest d = Digest.sha256(layer.gzip());
            blobs.put(d, layer.gzip());
            digests.add(d.toString());
            ObjectNode descriptor = ((ArrayNode) m.path("layers")).addObject();
            descriptor.put("mediaType", layerType);
            descriptor.put("size", layer.gzip().length);
            descriptor.put("digest", d.toString());
            ((ArrayNode) c.path("rootfs").path("diff_ids")).add(Digest.sha256(layer.tar()).toString());
            ((ArrayNode) c.withArray("history")).addObject().put("created_by", "test layer " + d);
        }
        return new RegistryImage(repository, m, c, mediaType, blobs, digests);
    }

    void pushAs(URI registry, String tag) throws Exception {
        TestPusher pusher = new TestPusher(registry);
        for (Map.Entry<Digest, byte[]> blob : newBlobs.entrySet()) {
            pusher.pushBlob(repository, blob.getKey(), blob.getValue());
        }
        byte[] configBytes = JSON.writeValueAsBytes(config);
        Digest configDigest = Digest.sha256(configBytes);
        pusher.pushBlob(repository, configDigest, configBytes);
        ObjectNode m = manifest.deepCopy();
        ((ObjectNode) m.path("config")).put("digest", configDigest.toString()).put("size", configBytes.length);
        pusher.pushManifest(repository, tag, JSON.writeValueAsBytes(m), mediaType);
    }

    /** The digest this image has once pushed. */
    String digest() throws Exception {
        byte[] configBytes = JSON.writeValueAsBytes(config);
        ObjectNode m = manifest.deepCopy();
        ((ObjectNode) m.path("config")).put("digest", Digest.sha256(configBytes).toString()).put("size", configBytes.length);
        return Digest.sha256(JSON.writeValueAsBytes(m)).toString();
    }

    List<String> addedLayers() {
        return added;
    }
}
