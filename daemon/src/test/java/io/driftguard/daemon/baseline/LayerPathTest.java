package io.driftguard.daemon.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LayerPathTest {

    @Test
    void normalisesHarmlessForms() {
        assertThat(LayerPath.normalize("./usr/bin/nc")).contains("/usr/bin/nc");
        assertThat(LayerPath.normalize("etc/nginx/")).contains("/etc/nginx");
        assertThat(LayerPath.normalize("/bin/sh")).contains("/bin/sh");
    }

    @Test
    void rejectsDotDotEmptyAndNul() {
        assertThat(LayerPath.normalize("../etc/passwd")).isEmpty();
        assertThat(LayerPath.normalize("usr/../../etc/shadow")).isEmpty();
        assertThat(LayerPath.normalize("usr/bin/..")).isEmpty();
        assertThat(LayerPath.normalize("usr//bin")).isEmpty();
        assertThat(LayerPath.normalize("usr/./bin")).isEmpty();
        assertThat(LayerPath.normalize("bin/a\0b")).isEmpty();
        assertThat(LayerPath.normalize("./")).isEmpty();
    }
}
