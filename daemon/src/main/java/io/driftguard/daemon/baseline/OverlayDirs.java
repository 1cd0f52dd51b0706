package io.driftguard.daemon.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Where overlay2 keeps an image's layers and a container's upper layer on the host, from
 * {@code docker inspect} (docker-java's GraphData lacks LowerDir and UpperDir). The Docker CLI runs
 * with a fixed argv; ids are checked first, and every directory it names must be a real, normalised
 * {@code .../overlay2/ID/diff} directory, not reached through a symlink.
 */
public final class OverlayDirs {
    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern LAYER_DIR = Pattern.compile("/.+/overlay2/[0-9a-zA-Z-]+/diff");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String dockerHost;

    /** {@code dockerHost} as in the daemon config, e.g. unix:///var/run/docker.sock. */
    public OverlayDirs(String dockerHost) {
        this.dockerHost = dockerHost;
    }

    /** The image's layer directories, bottom first. */
    public List<Path> imageLayers(String imageId) throws IOException {
        if (!IMAGE_ID.matcher(imageId).matches()) {
            throw new IOException("not an image id: '" + imageId + "'");
        }
        JsonNode driver = inspect("image", imageId);
        List<Path> layers = new ArrayList<>();
        String upper = driver.path("Data").path("UpperDir").asText("");
        String lower = driver.path("Data").path("LowerDir").asText("");
        if (!upper.isEmpty()) {
            layers.add(checked(upper));
        }
        if (!lower.isEmpty()) {
            for (String dir : lower.split(":")) {
                layers.add(checked(dir));
            }
        }
        if (layers.isEmpty()) {
            throw new IOException("docker inspect names no layer directory for image " + imageId);
        }
        Collections.reverse(layers); // Docker lists the top layer first.
        return layers;
    }

    /** The container's writable layer: what changed since it started, on its root file system. */
    public Path containerUpper(String containerId) throws IOException {
        if (!CONTAINER_ID.matcher(containerId).matches()) {
            throw new IOException("not a full container id: '" + containerId + "'");
        }
        String upper = inspect("container", containerId).path("Data").path("UpperDir").asText("");
        if (upper.isEmpty()) {
            throw new IOException("docker inspect names no upper directory for container " + containerId);
        }
        return checked(upper);
    }

    private JsonNode inspect(String objectType, String id) throws IOException {
        Process process = new ProcessBuilder("docker", "-H", dockerHost, objectType, "inspect", "--format",
                "{{json .GraphDriver}}", id).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("docker " + objectType + " inspect " + id + " failed: "
                        + new String(out, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while inspecting " + id, e);
        }
        JsonNode driver = JSON.readTree(out);
        if (!"overlay2".equals(driver.path("Name").asText())) {
            throw new IOException("Docker's storage driver is '" + driver.path("Name").asText()
                    + "'; image baselines need overlay2");
        }
        return driver;
    }

    private static Path checked(String dir) throws IOException {
        Path path = Path.of(dir);
        if (!LAYER_DIR.matcher(dir).matches() || !path.normalize().toString().equals(dir)
                || !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || !path.toRealPath().toString().equals(dir)) {
            throw new IOException("refusing layer directory '" + dir + "': not a real overlay2 .../ID/diff directory");
        }
        return path;
    }
}
