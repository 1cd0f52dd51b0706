package io.driftguard.daemon.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.time.Duration;

/** Opens docker-java clients over the engine's unix socket: the typed one, and raw HTTP for what it does not model. */
public final class DockerConnection {
    private DockerConnection() {
    }

    /** {@code socket} is a unix:// URI or a plain socket path. */
    public static DockerClient open(String socket) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host(socket))
                .build();
        return DockerClientImpl.getInstance(config, http(socket).build());
    }

    /**
     * The engine's HTTP API itself, for one-off answers whose fields docker-java's model drops.
     * Unlike the typed client's (which follows the event stream) its answers have a deadline.
     */
    static DockerHttpClient rawHttp(String socket) {
        return http(socket).responseTimeout(Duration.ofSeconds(60)).build();
    }

    private static ZerodepDockerHttpClient.Builder http(String socket) {
        return new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(host(socket)))
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(16);
    }

    private static String host(String socket) {
        return socket.startsWith("unix://") ? socket : "unix://" + socket;
    }
}
