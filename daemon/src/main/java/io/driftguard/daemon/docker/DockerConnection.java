package io.driftguard.daemon.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.time.Duration;

/** Opens a docker-java client over the engine's unix socket. */
public final class DockerConnection {
    private DockerConnection() {
    }

    /** {@code socket} is a unix:// URI or a plain socket path. */
    public static DockerClient open(String socket) {
        String host = socket.startsWith("unix://") ? socket : "unix://" + socket;
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(host))
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(16)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
