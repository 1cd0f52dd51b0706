package io.driftguard.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where overlay2 keeps an image's layers and a container's upper layer on the host, from the
 * engine's inspect answer ({@code GET /images/ID/json}, {@code /containers/ID/json}) read over the
 * API: docker-java's GraphData lacks LowerDir and UpperDir, so the answer is read as JSON. Ids are
 * typed (a digest, a full container id), so a path built from them stays one API path; every
 * directory the engine names must be a real, normalised {@code .../overlay2/ID/diff} directory,
 * not reached through a symlink.
 */
public final class OverlayDirs {
    private static final Pattern LAYER_DIR = Pattern.compile("/.+/overlay2/[0-9a-zA-Z-]+/diff");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String socket;

    /** {@code socket} as in the daemon config, e.g. unix:///var/run/docker.sock. */
    public OverlayDirs(String socket) {
        this.socket = socket;
    }

    /** The image's layer directories, bottom first. */
    public List<Path> imageLayers(Digest imageId) throws IOException {
        JsonNode driver = graphDriver("/images/" + imageId + "/json", "image " + imageId);
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
            throw new IOException("Docker names no layer directory for image " + imageId);
        }
        Collections.reverse(layers); // Docker lists the top layer first.
        return layers;
    }

    /** The container's writable layer: what changed since it started, on its root file system. */
    public Path containerUpper(ContainerId containerId) throws IOException {
        String upper = graphDriver("/containers/" + containerId + "/json", "container " + containerId)
                .path("Data").path("UpperDir").asText("");
        if (upper.isEmpty()) {
            throw new IOException("Docker names no upper directory for container " + containerId);
        }
        return checked(upper);
    }

    private JsonNode graphDriver(String path, String what) throws IOException {
        JsonNode inspect;
        try (DockerHttpClient http = DockerConnection.rawHttp(socket);
             DockerHttpClient.Response response = http.execute(new DockerHttpClient.Request.Builder()
                     .method(DockerHttpClient.Request.Method.GET).path(path).build())) {
            inspect = JSON.readTree(response.getBody());
            if (response.getStatusCode() != 200) {
                throw new IOException("Docker inspect of " + what + " failed (HTTP " + response.getStatusCode() + "): "
                        + inspect.path("message").asText(""));
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot inspect " + what + " at " + socket + ": " + e.getMessage(), e);
        }
        JsonNode driver = inspect.path("GraphDriver");
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
