package io.driftguard.daemon.hook;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.driftguard.core.model.ContainerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what the hook hands over: runc's state JSON ({@code id}, {@code pid}, {@code bundle}) and
 * from the bundle's config.json the root file system and the command's PATH. Both come from runc
 * and containerd through a root-only socket; they are still bounded and checked.
 */
final class Bundle {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final long MAX_CONFIG = 64L << 20;

    private Bundle() {
    }

    static StartRequest request(byte[] state) throws IOException {
        JsonNode tree = JSON.readTree(state);
        if (tree == null || !tree.isObject()) {
            throw new IOException("the state is not a JSON object");
        }
        ContainerId id;
        try {
            id = ContainerId.parse(tree.path("id").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IOException("the state's id is not a Docker container id");
        }
        int pid = tree.path("pid").isInt() ? tree.path("pid").intValue() : 0;
        if (pid <= 0) {
            throw new IOException("the state of container " + id + " has no pid");
        }
        Path bundle = absolute(tree.path("bundle").asText(""), "the state's bundle");
        JsonNode config = config(bundle.resolve("config.json"));
        String root = config.path("root").path("path").asText("");
        Path rootfs = root.startsWith("/") ? absolute(root, "root.path") : absolute(bundle.resolve(root).toString(), "root.path");
        return new StartRequest(id, pid, rootfs.toString(), searchPath(config.path("process").path("env")));
    }

    private static Path absolute(String text, String what) throws IOException {
        Path path = Path.of(text);
        if (text.isEmpty() || !path.isAbsolute() || !path.normalize().equals(path) || path.getNameCount() == 0) {
            throw new IOException(what + " '" + text + "' is not an absolute, normalised path");
        }
        return path;
    }

    private static JsonNode config(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_CONFIG + 1);
            if (bytes.length > MAX_CONFIG) {
                throw new IOException(file + " is larger than " + MAX_CONFIG + " bytes");
            }
            JsonNode tree = JSON.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw new IOException(file + " is not a JSON object");
            }
            return tree;
        }
    }

    private static List<String> searchPath(JsonNode env) {
        for (JsonNode entry : env) {
            if (entry.asText("").startsWith("PATH=")) {
                return Arrays.asList(entry.asText().substring(5).split(":"));
            }
        }
        return List.of();
    }
}
