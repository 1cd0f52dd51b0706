package io.driftguard.daemon.cli;

import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.docker.DockerLookup;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns the IMAGE a user typed (a reference or an image id) into an image id. */
final class ImageArgument {
    private static final Pattern IMAGE_ID = Pattern.compile("sha256:[0-9a-f]{64}");

    private ImageArgument() {
    }

    /** The image id: as given, from Docker, else from what the store recorded for that reference. */
    static String resolve(DaemonConfig settings, BaselineStore store, String image) throws Exception {
        if (IMAGE_ID.matcher(image).matches()) {
            return image;
        }
        Optional<String> local;
        try {
            local = DockerLookup.imageId(settings.dockerSocket(), image);
        } catch (RuntimeException dockerUnreachable) {
            local = Optional.empty();
        }
        if (local.isPresent()) {
            return local.get();
        }
        List<String> known = store.imageIdsFor(image);
        if (known.size() == 1) {
            return known.get(0);
        }
        throw new IllegalArgumentException(known.isEmpty() ? "unknown image '" + image + "'"
                : "'" + image + "' was several images over time; give an image id: " + known);
    }
}
