package io.driftguard.scan.docker;

import io.driftguard.core.text.Printable;
import io.driftguard.scan.layer.LayerReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local Docker engine, reached through its API on a unix socket: {@code unix:///PATH} from
 * {@code DOCKER_HOST} or the default {@code /var/run/docker.sock}. Only what the scanner needs:
 * an image's {@code docker save} stream ({@code GET /images/NAME/get}).
 */
public final class DockerEngine {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    /** Names and ids as Docker writes them; anything else is refused before it reaches a URL. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,511}");

    /** Why an image could not be read from the engine. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private final Path socket;

    private DockerEngine(Path socket) {
        this.socket = socket;
    }

    /** The engine {@code dockerHost} names ({@code unix://PATH}); null or empty for DOCKER_HOST, else the default socket. */
    public static DockerEngine at(String dockerHost, Map<String, String> environment) throws Unreadable {
        String host = dockerHost != null && !dockerHost.isEmpty() ? dockerHost : environment.getOrDefault("DOCKER_HOST", "");
        if (host.isEmpty()) {
            return new DockerEngine(DEFAULT_SOCKET);
        }
        if (!host.startsWith("unix://")) {
            throw new Unreadable("only a unix socket engine (unix:///PATH) is read, not " + Printable.of(host)
                    + "; point --docker-host or DOCKER_HOST at the engine's socket");
        }
        return new DockerEngine(Path.of(URI.create(host).getPath()));
    }

    public Path socket() {
        return socket;
    }

    /** Reads the image {@code name} (name[:tag], name@digest or an image id) as {@code docker save} streams it. */
    public SavedImage save(String name, LayerReader reader) throws Unreadable, IOException {
        if (!NAME.matcher(name).matches()) {
            throw new Unreadable("not a Docker image name or id: '" + Printable.of(name) + "'");
        }
        InputStream archive;
        try {
            archive = EngineSocket.get(socket, "/images/" + name + "/get");
        } catch (EngineSocket.EngineError e) {
            throw new Unreadable(e.status == 404 ? "the engine at " + socket + " has no image " + name + " (" + e.getMessage() + ")"
                    : "the engine at " + socket + " answered " + e.status + ": " + e.getMessage());
        } catch (IOException e) {
            throw new Unreadable("cannot reach the Docker engine at " + socket + ": " + e.getMessage());
        }
        try (InputStream in = archive) {
            return SavedImage.read(in, reader);
        }
    }
}
