package io.driftguard.scan.run;

import io.driftguard.core.event.Severity;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.docker.DockerEngine;
import io.driftguard.scan.docker.SavedImage;
import io.driftguard.scan.image.ImageAnalysis;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.layer.LayerContent;
import io.driftguard.scan.layer.LayerReader;
import io.driftguard.scan.layer.TarLimits;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code image docker:NAME}: an image of the local Docker engine, read from its {@code docker save}
 * stream and scanned as a registry image is. The result is kept under the image id, which is
 * what admission looks up for the image a container is created from.
 */
public final class LocalImage {
    /** The {@code registry} of a local image's findings and events. */
    public static final String REGISTRY = "docker-engine";

    private final ScanConfig config;
    private final ImageScanStore images;
    private final AdvisoryStore advisories;
    private final Clock clock;

    public LocalImage(ScanConfig config, ImageScanStore images, AdvisoryStore advisories, Clock clock) {
        this.config = config;
        this.images = images;
        this.advisories = advisories;
        this.clock = clock;
    }

    /** Scans image {@code name} of the engine {@code dockerHost} names (null: DOCKER_HOST, else the default socket). */
    public ImageReport scan(String dockerHost, String name) throws OneImage.Unscannable, SQLException, IOException {
        SavedImage saved;
        try {
            saved = DockerEngine.at(dockerHost, System.getenv()).save(name, new LayerReader(TarLimits.DEFAULT));
        } catch (DockerEngine.Unreadable e) {
            throw new OneImage.Unscannable("docker:" + name + ": " + e.getMessage());
        }
        List<ImageFinding> findings = new ArrayList<>();
        for (String problem : saved.problems()) {
            findings.add(new ImageFinding(ImageFinding.Category.LAYER, Severity.HIGH, "layer-digest-mismatch",
                    "Saved image " + problem, Map.of("problem", problem)));
        }
        List<Map.Entry<String, LayerContent>> contents = new ArrayList<>();
        for (SavedImage.Layer layer : saved.layers()) {
            contents.add(new AbstractMap.SimpleImmutableEntry<>(layer.diffId().toString(), layer.content()));
        }
        return new ImageAnalysis(images, advisories, config.images(), clock)
                .report("docker:" + name, saved.imageId(), saved.imageId(), saved.config(), contents, findings);
    }
}
