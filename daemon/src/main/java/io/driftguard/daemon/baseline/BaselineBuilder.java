package io.driftguard.daemon.baseline;

import io.driftguard.core.model.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds an image's baseline from its layer directories: stacks them, keeps the regular files. */
final class BaselineBuilder {
    private BaselineBuilder() {
    }

    static ImageBaseline build(Digest imageId, String imageRef, List<Path> layersBottomFirst) throws IOException {
        long start = System.nanoTime();
        OverlayLayerReader reader = new OverlayLayerReader();
        LayerMerge merge = new LayerMerge();
        for (Path layer : layersBottomFirst) {
            merge.apply(reader.read(layer));
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
