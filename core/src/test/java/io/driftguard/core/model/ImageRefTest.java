package io.driftguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageRefTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void parsesHostPortRepositoryTagAndDigest() {
        ImageRef ref = ImageRef.parse("registry.local:5000/myteam/nginx:1.21.0@" + DIGEST);
        assertThat(ref.registry()).isEqualTo("registry.local:5000");
        assertThat(ref.repository()).isEqualTo("myteam/nginx");
        assertThat(ref.tag()).isEqualTo("1.21.0");
        assertThat(ref.digest()).isEqualTo(Digest.parse(DIGEST));
        assertThat(ref).hasToString("registry.local:5000/myteam/nginx:1.21.0@" + DIGEST);
    }

    @Test
    void tagAndDigestAreOptional() {
        assertThat(ImageRef.parse("127.0.0.1:5000/a/b").tagName()).isEmpty();
        assertThat(ImageRef.parse("127.0.0.1:5000/a/b@" + DIGEST).tagName()).isEmpty();
        assertThat(ImageRef.parse("127.0.0.1:5000/a/b:v1").digestValue()).isEmpty();
    }

    @Test
    void rejectsNamesOutsideTheGrammar() {
        assertThatThrownBy(() -> ImageRef.parse("nginx:1")).hasMessageContaining("not an image reference");
        assertThatThrownBy(() -> ImageRef.parse("host/My/Repo:1")).hasMessageContaining("invalid repository name 'My/Repo'");
        assertThatThrownBy(() -> ImageRef.parse("host/a/../b:1")).hasMessageContaining("invalid repository");
        assertThatThrownBy(() -> ImageRef.parse("host/a:-x")).hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> ImageRef.parse("ho$t/a:1")).hasMessageContaining("invalid registry host");
        assertThat(ImageRef.isTag("sha256-" + "ab".repeat(32) + ".sig")).isTrue();
        assertThat(ImageRef.isTag("a".repeat(129))).isFalse();
    }
}
