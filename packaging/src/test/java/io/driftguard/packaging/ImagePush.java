package io.driftguard.packaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Pushes an image of the host's Docker to a plain-http registry with skopeo, as it is or with
 * another config {@code User} (text that `docker build` cannot put there, such as a newline).
 * Each push answers the manifest digest the registry serves.
 */
final class ImagePush {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImagePush() {
    }

    static String copy(String localImage, String destination, Path work) throws IOException {
        return push("docker-daemon:" + localImage, destination, work);
    }

    /** Copies the image into a skopeo dir: folder, swaps its config for one with {@code user}, pushes that. */
    static String withUser(String localImage, String user, String destination, Path work) throws IOException {
        Path dir = Files.createDirectories(work).resolve("image");
        skopeo("docker-daemon:" + localImage, "dir:" + dir);
        Path manifestFile = dir.resolve("manifest.json");
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        ObjectNode descriptor = (ObjectNode) manifest.get("config");
        Path configFile = dir.resolve(descriptor.get("digest").asText().substring("sha256:".length()));
        ObjectNode config = (ObjectNode) JSON.readTree(configFile.toFile());
        ((ObjectNode) config.get("config")).put("User", user);
        byte[] bytes = JSON.writeValueAsBytes(config);
        String hex = sha256(bytes);
        Files.write(dir.resolve(hex), bytes);
        Files.delete(configFile);
        descriptor.put("digest", "sha256:" + hex).put("size", bytes.length);
        JSON.writeValue(manifestFile.toFile(), manifest);
        return push("dir:" + dir, destination, work);
    }

    private static String push(String source, String destination, Path work) throws IOException {
        Files.createDirectories(work);
        Path digest = work.resolve("digest");
        skopeo("--dest-tls-verify=false", "--digestfile", digest.toString(), source, destination);
        return Files.readString(digest).strip();
    }

    private static void skopeo(String... copyArguments) {
        List<String> argv = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
        argv.addAll(List.of(copyArguments));
        Command.Result copied = Command.run(Duration.ofMinutes(3), argv);
        if (!copied.ok()) {
            throw new AssertionError(String.join(" ", argv) + ": " + copied);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
