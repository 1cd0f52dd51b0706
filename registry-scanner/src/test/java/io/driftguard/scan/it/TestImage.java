package io.driftguard.scan.it;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.registry.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** An image made up for a test: random layers, a config, and its manifest bytes. */
record TestImage(Map<Digest, byte[]> blobs, byte[] manifest, Digest digest, Digest config, List<Digest> layers) {

    /** An image with {@code layers} random layers of {@code layerSize} bytes; {@code seed} makes it unique. */
    static TestImage random(long seed, int layers, int layerSize, String architecture) {
        Random random = new Random(seed);
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Digest> layerDigests = new ArrayList<>();
        StringBuilder layerJson = new StringBuilder();
        for (int i = 0; i < layers; i++) {
            byte[] layer = new byte[layerSize];
            random.nextBytes(layer);
            Digest d = Digest.sha256(layer);
            blobs.put(d, layer);
            layerDigests.add(d);
            layerJson.append(i == 0 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", d, layer.length));
        }
        byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"SEED=" + seed
                + "\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        blobs.put(configDigest, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length)
                + ",\"layers\":[" + layerJson + "]}").getBytes(StandardCharsets.UTF_8);
        return new TestImage(blobs, manifest, Digest.sha256(manifest), configDigest, layerDigests);
    }

    /** An OCI index over linux images of the given architectures; {@code note} changes only the index bytes. */
    static byte[] index(Map<String, TestImage> byArchitecture, String note) {
        StringBuilder entries = new StringBuilder();
        for (Map.Entry<String, TestImage> e : byArchitecture.entrySet()) {
            TestImage image = e.getValue();
            entries.append(entries.length() == 0 ? "" : ",")
                    .append("{\"mediaType\":\"").append(MediaTypes.OCI_MANIFEST).append("\",\"digest\":\"").append(image.digest())
                    .append("\",\"size\":").append(image.manifest().length)
                    .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"").append(e.getKey()).append("\"}}");
        }
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + entries
                + "],\"annotations\":{\"note\":\"" + note + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
}
