package io.driftguard.daemon.baseline;

import io.driftguard.core.log.Log;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.policy.ProfileRule;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Process profiles by image id. One background thread, never an exec decision thread, writes what
 * was learnt to SQLite (reading each new process's parent executable and invoked name from procfs)
 * and reloads learning state and entries, which the CLI may have changed.
 */
public final class ProcessProfiles implements AutoCloseable {
    private static final Log LOG = Log.of(ProcessProfiles.class);

    private final BaselineStore store;
    private final Map<Digest, ImageProfile> profiles = new HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driftguard-profiles");
        t.setDaemon(true);
        return t;
    });

    public ProcessProfiles(BaselineStore store) {
        this.store = store;
        thread.scheduleWithFixedDelay(this::sync, 1, 1, TimeUnit.SECONDS);
    }

    /** The profile of an image; a learn rule starts the learning window the first time the image is seen. */
    public synchronized ImageProfile get(Digest image, String imageRef, ProfileRule rule) throws IOException {
        ImageProfile profile = profiles.get(image);
        if (profile != null) {
            return profile;
        }
        try {
            ProfileState state = store.profileState(image).orElse(null);
            if (state == null && rule.mode() == ProfileRule.ProfileMode.LEARN) {
                Instant now = Instant.now();
                state = new ProfileState(image, imageRef, now, rule.learnFor() == null ? null : now.plus(rule.learnFor()),
                        rule.learnCount());
                store.saveProfileState(state);
                LOG.info("learning the process profile of image " + imageRef + " (" + image + ")");
            }
            profile = new ImageProfile(image, imageRef, state, store.profileEntries(image));
        } catch (SQLException e) {
            throw new IOException("profile store: " + e.getMessage(), e);
        }
        profiles.put(image, profile);
        return profile;
    }

    private void sync() {
        List<ImageProfile> all;
        synchronized (this) {
            all = new ArrayList<>(profiles.values());
        }
        for (ImageProfile profile : all) {
            try {
                List<ProfileEntry> learnt = new ArrayList<>();
                for (ImageProfile.Observation o; (o = profile.nextPending()) != null; ) {
                    learnt.add(new ProfileEntry(o.path(), o.sha256(), invokedName(o), parentExe(o.pid()), o.uid(), o.time()));
                }
                if (!learnt.isEmpty()) {
                    store.addProfileEntries(profile.imageId(), learnt);
                }
                profile.refresh(store.profileState(profile.imageId()).orElse(null), store.profileEntries(profile.imageId()));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("process profile of " + profile.imageRef() + ": " + e.getMessage());
            }
        }
    }

    /** argv[0] once the exec happened; the file name when the process is gone or did not get there. */
    private static String invokedName(ImageProfile.Observation o) {
        String fileName = o.path().substring(o.path().lastIndexOf('/') + 1);
        List<String> argv = ProcFs.cmdline(o.pid());
        String argv0 = argv.isEmpty() ? "" : argv.get(0);
        return argv0.isEmpty() ? fileName : argv0.substring(argv0.lastIndexOf('/') + 1);
    }

    /** "?" when the process exited or its parent is not visible. */
    private static String parentExe(int pid) {
        Integer parent = ProcFs.ppid(pid);
        String exe = parent == null ? null : ProcFs.exePath(parent);
        return exe == null ? "?" : exe;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        sync();
    }
}
