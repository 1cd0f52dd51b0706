package io.driftguard.daemon.baseline;

import io.driftguard.core.log.Log;
import io.driftguard.core.model.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds an image's baseline from its layer directories: stacks them, keeps the regular files. A
 * large image takes seconds: the build logs its start, and its progress every few seconds.
 */
final class BaselineBuilder {
    private static final Log LOG = Log.of(BaselineBuilder.class);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private BaselineBuilder() {
    }

    static ImageBaseline build(Digest imageId, String imageRef, List<Path> layersBottomFirst) throws IOException {
        long start = System.nanoTime();
        LOG.info("building the baseline of image " + imageRef + " (" + imageId + ") from " + layersBottomFirst.size() + " layers");
        OverlayLayerReader reader = new OverlayLayerReader();
        LayerMerge merge = new LayerMerge();
        long lastProgress = start;
        for (int i = 0; i < layersBottomFirst.size(); i++) {
            merge.apply(reader.read(layersBottomFirst.get(i)));
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_EVERY_NANOS && i + 1 < layersBottomFirst.size()) {
                lastProgress = now;
                LOG.info("baseline of image " + imageRef + ": " + (i + 1) + " of " + layersBottomFirst.size() + " layers read, "
                        + merge.view().size() + " entries so far, " + TimeUnit.NANOSECONDS.toSeconds(now - start) + " s");
            }
        }
        Map<String, BaselineFile> files = regularFiles(merge);
        return new ImageBaseline(imageId, imageRef, files, Instant.now(), (System.nanoTime() - start) / 1_000_000);
    }

    static Map<String, BaselineFile> regularFiles(LayerMerge merge) {
        Map<String, BaselineFile> files = new HashMap<>();
        for (LayerEntry entry : merge.view().values()) {
            if (entry.type() == LayerEntry.Type.FILE) {
                files.put(entry.path(), BaselineFile.of(entry));
            }
        }
        return files;
    }
}
