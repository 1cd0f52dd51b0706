package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import java.util.function.Consumer;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ImageBaselines;
import io.driftguard.daemon.baseline.ProcessProfiles;
import io.driftguard.daemon.docker.OverlayDirs;
import io.driftguard.daemon.files.ReadOnlyMounts;
import java.nio.file.Path;

/**
 * What drift, profile and file rules need at attach time: image baselines, process profiles and the
 * helper that makes protected paths read-only.
 */
public record BaselineServices(ImageBaselines baselines, ProcessProfiles profiles, ReadOnlyMounts mounts)
        implements AutoCloseable {

    /**
     * Opens the baseline tables in the store (each baseline built becomes a daemon event) and finds
     * the mount helper in {@code helpersDir}.
     */
    public static BaselineServices open(StoreSettings store, String dockerHost, Path helpersDir, EventDispatcher events)
            throws Exception {
        return open(store, dockerHost, helpersDir, events, image -> { });
    }

    /** As {@link #open(StoreSettings, String, Path, EventDispatcher)}; {@code changed} hears of each image whose baseline or profile was saved. */
    public static BaselineServices open(StoreSettings store, String dockerHost, Path helpersDir, EventDispatcher events,
                                        Consumer<Digest> changed) throws Exception {
        BaselineStore baselineStore = BaselineStore.open(store, changed);
        ImageBaselines baselines = new ImageBaselines(baselineStore, new OverlayDirs(dockerHost), built -> events.publish(
                Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO)
                        .detail("image_id", built.imageId().toString())
                        .detail("files", Integer.toString(built.files().size()))
                        .detail("build_ms", Long.toString(built.buildMillis()))
                        .message("Built the baseline of image " + built.imageRef() + ": " + built.files().size() + " files ("
                                + built.executables() + " executable) in " + built.buildMillis() + " ms")
                        .build()));
        return new BaselineServices(baselines, new ProcessProfiles(baselineStore),
                ReadOnlyMounts.at(helpersDir));
    }

    @Override
    public void close() throws Exception {
        profiles.close();
        baselines.store().close();
    }
}
