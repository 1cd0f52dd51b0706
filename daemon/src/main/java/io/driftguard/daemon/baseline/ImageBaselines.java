package io.driftguard.daemon.baseline;

import io.driftguard.core.log.Log;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.docker.OverlayDirs;
import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Baselines by image id: from memory, else from SQLite, else built from the image's layers once
 * and stored, so that a second container of the image and a restarted daemon reuse it. Called at
 * attach time only.
 */
public final class ImageBaselines {
    private static final Log LOG = Log.of(ImageBaselines.class);

    private final BaselineStore store;
    private final OverlayDirs overlay;
    private final Consumer<ImageBaseline> onBuilt;
    private final Map<Digest, ImageBaseline> loaded = new HashMap<>();

    /** {@code onBuilt} hears of every baseline built (not of those loaded), e.g. to publish an event. */
    public ImageBaselines(BaselineStore store, OverlayDirs overlay, Consumer<ImageBaseline> onBuilt) {
        this.store = store;
        this.overlay = overlay;
        this.onBuilt = onBuilt;
    }

    public synchronized ImageBaseline get(Digest image, String imageRef) throws IOException {
        ImageBaseline baseline = loaded.get(image);
        if (baseline != null) {
            return baseline;
        }
        try {
            baseline = store.load(image).orElse(null);
            if (baseline == null) {
                baseline = BaselineBuilder.build(image, imageRef, overlay.imageLayers(image));
                store.save(baseline);
                LOG.info("built the baseline of image " + imageRef + " (" + image + "): " + baseline.files().size()
                        + " files in " + baseline.buildMillis() + " ms");
                onBuilt.accept(baseline);
            }
        } catch (SQLException e) {
            throw new IOException("baseline store: " + e.getMessage(), e);
        }
        loaded.put(image, baseline);
        return baseline;
    }

    public BaselineStore store() {
        return store;
    }
}
