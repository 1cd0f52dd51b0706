package io.driftguard.scan.drift;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.store.TagKey;
import io.driftguard.scan.store.TagState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Decides whether a tag drifted: its current digest differs from the approved one (or, with none
 * approved, from the last one seen). For an index it also says which platform manifests changed,
 * and a change that touches no watched platform is no drift, so that a user watching one
 * platform is not told about every rebuild of another.
 */
public final class TagDriftCheck {
    private TagDriftCheck() {
    }

    /** What moved, for the finding's message and details. */
    public record Drift(Digest from, boolean fromApproved, Digest to, List<String> changedPlatforms, boolean platformsKnown) {
        public String describe(TagKey tag) {
            StringBuilder text = new StringBuilder("Tag " + tag + " moved from " + from
                    + (fromApproved ? " (approved)" : " (last seen)") + " to " + to);
            if (platformsKnown) {
                text.append(changedPlatforms.isEmpty()
                        ? "; only the index changed, every platform manifest is the same"
                        : "; platforms changed: " + String.join(", ", changedPlatforms));
            }
            return text.toString();
        }
    }

    /**
     * @param before platform manifests of the reference digest (empty if it is no index or unknown)
     * @param after platform manifests of the current digest (empty if it is no index)
     * @param watched which platforms count
     */
    public static Optional<Drift> check(TagState state, Digest current, Map<String, Digest> before,
                                        Map<String, Digest> after, Predicate<String> watched) {
        Optional<Digest> reference = state.reference();
        if (reference.isEmpty() || reference.get().equals(current)) {
            return Optional.empty();
        }
        boolean platformsKnown = !before.isEmpty() && !after.isEmpty();
        List<String> changed = platformsKnown ? changedPlatforms(before, after) : List.of();
        if (platformsKnown && !changed.isEmpty() && changed.stream().map(TagDriftCheck::platformOf).noneMatch(watched)) {
            return Optional.empty();
        }
        return Optional.of(new Drift(reference.get(), state.approved().isPresent(), current, changed, platformsKnown));
    }

    /** Each changed platform as "linux/arm64 (sha256:ab12.. -> sha256:cd34..)", "added" or "removed". */
    static List<String> changedPlatforms(Map<String, Digest> before, Map<String, Digest> after) {
        List<String> changed = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        for (String platform : all) {
            Digest was = before.get(platform);
            Digest now = after.get(platform);
            if (was == null) {
                changed.add(platform + " (added " + now.shortForm() + ")");
            } else if (now == null) {
                changed.add(platform + " (removed)");
            } else if (!was.equals(now)) {
                changed.add(platform + " (" + was.shortForm() + " -> " + now.shortForm() + ")");
            }
        }
        return changed;
    }

    private static String platformOf(String change) {
        return change.substring(0, change.indexOf(' '));
    }
}
