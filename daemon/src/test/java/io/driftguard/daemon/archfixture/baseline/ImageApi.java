package io.driftguard.daemon.archfixture.baseline;

import com.github.dockerjava.api.DockerClient;

/** baseline talking to docker-java itself: only the docker package does. */
public class ImageApi {
    public DockerClient docker;
}
