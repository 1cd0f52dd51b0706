package io.driftguard.scan.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.store.TagKey;
import io.driftguard.scan.store.TagState;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TagDriftCheckTest {
    private static final Digest A = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest B = Digest.parse("sha256:" + "b".repeat(64));
    private static final Digest P1 = Digest.parse("sha256:" + "1".repeat(64));
    private static final Digest P2 = Digest.parse("sha256:" + "2".repeat(64));
    private static final Digest P3 = Digest.parse("sha256:" + "3".repeat(64));
    private static final TagKey TAG = new TagKey("registry.local", "myteam/nginx", "1.21.0");

    @Test
    void firstSightingAndUnchangedAreNoDrift() {
        assertThat(TagDriftCheck.check(TagState.NEW, A, Map.of(), Map.of(), p -> true)).isEmpty();
        assertThat(TagDriftCheck.check(new TagState(Optional.of(A), Optional.empty()), A, Map.of(), Map.of(), p -> true)).isEmpty();
    }

    @Test
    void comparesWithApprovedBeforeLastSeen() {
        TagDriftCheck.Drift d = TagDriftCheck.check(new TagState(Optional.of(B), Optional.of(A)), B, Map.of(), Map.of(), p -> true).orElseThrow();
        assertThat(d.describe(TAG)).isEqualTo("Tag registry.local/myteam/nginx:1.21.0 moved from " + A + " (approved) to " + B);
        TagDriftCheck.Drift last = TagDriftCheck.check(new TagState(Optional.of(A), Optional.empty()), B, Map.of(), Map.of(), p -> true).orElseThrow();
        assertThat(last.describe(TAG)).contains("(last seen)");
    }

    @Test
    void namesChangedPlatformsOrSaysOnlyTheIndexChanged() {
        TagState approvedA = new TagState(Optional.of(A), Optional.of(A));
        Map<String, Digest> before = Map.of("linux/amd64", P1, "linux/arm64", P2);
        TagDriftCheck.Drift oneChanged = TagDriftCheck.check(approvedA, B, before, Map.of("linux/amd64", P1, "linux/arm64", P3), p -> true).orElseThrow();
        assertThat(oneChanged.changedPlatforms()).containsExactly("linux/arm64 (" + P2.shortForm() + " -> " + P3.shortForm() + ")");
        TagDriftCheck.Drift indexOnly = TagDriftCheck.check(approvedA, B, before, before, p -> true).orElseThrow();
        assertThat(indexOnly.describe(TAG)).contains("only the index changed");
    }

    @Test
    void ignoresChangesToPlatformsNobodyWatches() {
        TagState approvedA = new TagState(Optional.of(A), Optional.of(A));
        Map<String, Digest> before = Map.of("linux/amd64", P1, "linux/arm64", P2);
        Map<String, Digest> after = Map.of("linux/amd64", P1, "linux/arm64", P3);
        assertThat(TagDriftCheck.check(approvedA, B, before, after, "linux/amd64"::equals)).isEmpty();
        assertThat(TagDriftCheck.check(approvedA, B, before, after, "linux/arm64"::equals)).isPresent();
    }
}
