package io.driftguard.daemon.fleet;

import io.driftguard.core.model.Digest;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ImageBaseline;
import io.driftguard.daemon.baseline.ProfileEntry;
import io.driftguard.daemon.baseline.ProfileState;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Image baselines and process profiles between this host's local store, which attach and
 * enforcement read, and the shared one. What this host built or learnt is sent (a baseline or a
 * learning state another host stored first is kept; entries are added to theirs); then the local
 * copy is made what the shared store holds, for every image not waiting to be sent.
 */
final class BaselineSync {
    private final BaselineStore local;
    private final PendingImages pending;

    /** {@code local} must be an instance that does not report its own writes as changes. */
    BaselineSync(BaselineStore local, PendingImages pending) {
        this.local = local;
        this.pending = pending;
    }

    /** Sends every pending image; returns how many. */
    int send(BaselineStore central) throws SQLException {
        Map<Digest, Long> marks = pending.all();
        Map<Digest, Instant> centralBuilt = marks.isEmpty() ? Map.of() : central.baselinesBuilt();
        for (Map.Entry<Digest, Long> mark : marks.entrySet()) {
            Digest image = mark.getKey();
            if (!centralBuilt.containsKey(image)) {
                Optional<ImageBaseline> baseline = local.load(image);
                if (baseline.isPresent()) {
                    central.save(baseline.get());
                }
            }
            mergeProfile(local, central, image);
            pending.sent(image, mark.getValue());
        }
        return marks.size();
    }

    /** Adds {@code from}'s profile of an image to {@code to}'s: its learning state only where {@code to} has none, its entries to those there. */
    static void mergeProfile(BaselineStore from, BaselineStore to, Digest image) throws SQLException {
        Optional<ProfileState> state = from.profileState(image);
        if (state.isPresent() && to.profileState(image).isEmpty()) {
            to.saveProfileState(state.get());
        }
        List<ProfileEntry> entries = from.profileEntries(image);
        if (!entries.isEmpty()) {
            to.addProfileEntries(image, entries);
        }
    }

    /** Makes the local copy what the shared store holds, but for images still pending; returns the images changed here. */
    int receive(BaselineStore central) throws SQLException {
        Set<Digest> waiting = pending.all().keySet();
        int changed = 0;
        Map<Digest, Instant> centralBuilt = central.baselinesBuilt();
        Map<Digest, Instant> localBuilt = local.baselinesBuilt();
        for (Map.Entry<Digest, Instant> built : centralBuilt.entrySet()) {
            if (!waiting.contains(built.getKey()) && !built.getValue().equals(localBuilt.get(built.getKey()))) {
                Optional<ImageBaseline> baseline = central.load(built.getKey());
                if (baseline.isPresent()) {
                    local.save(baseline.get());
                    changed++;
                }
            }
        }
        for (Digest image : localBuilt.keySet()) {
            if (!waiting.contains(image) && !centralBuilt.containsKey(image)) {
                local.forgetBaseline(image);
                changed++;
            }
        }
        Set<Digest> profiled = new LinkedHashSet<>(central.profiledImages());
        profiled.addAll(local.profiledImages());
        for (Digest image : profiled) {
            if (waiting.contains(image)) {
                continue;
            }
            Optional<ProfileState> state = central.profileState(image);
            List<ProfileEntry> entries = central.profileEntries(image);
            // The recorder may learn about the image meanwhile: it marks the image pending before it
            // writes, and the replacement checks that mark under the write lock, so that what it
            // learnt is neither overwritten here nor left unsent.
            if ((!state.equals(local.profileState(image)) || !entries.equals(local.profileEntries(image)))
                    && local.replaceProfileIf(image, state, entries, c -> !PendingImages.isPending(c, image))) {
                changed++;
            }
        }
        return changed;
    }
}
