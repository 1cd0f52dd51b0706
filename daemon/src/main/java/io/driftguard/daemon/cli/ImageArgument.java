package io.driftguard.daemon.cli;

import io.driftguard.core.model.Digest;
import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.docker.DockerLookup;
import java.util.List;
import java.util.Optional;

/** Turns the IMAGE a user typed (a reference or an image id) into an image id. */
final class ImageArgument {
    private ImageArgument() {
    }

    /** The image id: as given, from Docker, else from what the store recorded for that reference. */
    static Digest resolve(DaemonConfig settings, BaselineStore store, String image) throws Exception {
        if (Digest.isValid(image)) {
            return Digest.parse(image);
        }
        Optional<Digest> local;
        try {
            local = DockerLookup.imageId(settings.dockerSocket(), image);
        } catch (RuntimeException dockerUnreachable) {
            local = Optional.empty();
        }
        if (local.isPresent()) {
            return local.get();
        }
        List<Digest> known = store.imageIdsFor(image);
        if (known.size() == 1) {
            return known.get(0);
        }
        throw new IllegalArgumentException(known.isEmpty() ? "unknown image '" + image + "'"
                : "'" + image + "' was several images over time; give an image id: " + known);
    }
}
