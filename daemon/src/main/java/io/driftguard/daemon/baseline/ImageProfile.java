package io.driftguard.daemon.baseline;

import io.driftguard.core.model.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The process profile of one image in memory, shared by all its containers: the executables it
 * is known to run and whether it is still learning. Exec decisions read it and queue what they
 * observe; the {@link ProcessProfiles} thread writes the queue to SQLite and reloads the state, so
 * that {@code driftguard baseline learn|reset} take effect within a second or two.
 */
public final class ImageProfile {
    /** An exec seen while learning, before procfs was asked about its parent and name. */
    record Observation(int pid, String path, String sha256, int uid, Instant time) {
    }

    private final Digest imageId;
    private final String imageRef;
    private final Set<String> paths = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Observation> pending = new ConcurrentLinkedQueue<>();
    private volatile ProfileState state;

    ImageProfile(Digest imageId, String imageRef, ProfileState state, List<ProfileEntry> entries) {
        this.imageId = imageId;
        this.imageRef = imageRef;
        this.state = state;
        entries.forEach(e -> paths.add(e.path()));
    }

    public Digest imageId() {
        return imageId;
    }

    public String imageRef() {
        return imageRef;
    }

    public boolean learning() {
        ProfileState current = state;
        return current != null && current.learning(Instant.now(), paths.size());
    }

    public int size() {
        return paths.size();
    }

    public boolean contains(String path) {
        return paths.contains(path);
    }

    /** Records an exec while learning; cheap and never blocking. */
    public void observe(int pid, String path, String sha256, Integer uid) {
        if (paths.add(path)) {
            pending.add(new Observation(pid, path, sha256, uid == null ? -1 : uid, Instant.now()));
        }
    }

    Observation nextPending() {
        return pending.poll();
    }

    void refresh(ProfileState fresh, List<ProfileEntry> entries) {
        state = fresh;
        Set<String> stored = new java.util.HashSet<>();
        entries.forEach(e -> stored.add(e.path()));
        paths.addAll(stored);
        // A reset removed entries: forget what the store no longer has (queued ones are kept).
        paths.removeIf(p -> !stored.contains(p) && pending.stream().noneMatch(o -> o.path().equals(p)));
    }
}
