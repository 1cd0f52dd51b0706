package io.driftguard.daemon.archfixture.baseline;

import java.io.IOException;

/** baseline running the docker CLI, as OverlayDirs once did: Docker is reached over the API only. */
public class Overlay {
    public Process inspect(String id) throws IOException {
        return new ProcessBuilder("docker", "inspect", id).start();
    }
}
