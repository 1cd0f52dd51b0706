package io.driftguard.daemon.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerReferenceTest {
    @Test
    void familiarNamesAreDockerHubAndLibrary() {
        DockerReference nginx = DockerReference.parse("nginx");
        assertThat(nginx.name()).isEqualTo("docker.io/library/nginx");
        assertThat(nginx.latest()).isTrue();
        assertThat(nginx.fromRegistry("docker.io")).isTrue();
        assertThat(DockerReference.parse("org/app:1").name()).isEqualTo("docker.io/org/app");
    }

    @Test
    void aFirstComponentWithADotColonOrLocalhostIsTheRegistry() {
        DockerReference ref = DockerReference.parse("127.0.0.1:5000/dg/app:v1");
        assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(ref.repository()).isEqualTo("dg/app");
        assertThat(ref.effectiveTag()).contains("v1");
        assertThat(ref.latest()).isFalse();
        assertThat(DockerReference.parse("localhost/app").registry()).isEqualTo("localhost");
        assertThat(DockerReference.parse("registry.example.com/app:latest").latest()).isTrue();
    }

    @Test
    void digestsAndIdsAreNotLatest() {
        String digest = "sha256:" + "a".repeat(64);
        assertThat(DockerReference.parse("nginx@" + digest).latest()).isFalse();
        assertThat(DockerReference.parse("nginx@" + digest).effectiveTag()).isEmpty();
        assertThat(DockerReference.parse("0123456789ab").imageId()).isTrue();
    }

    @Test
    void whatDockerWouldNotAcceptIsRefused() {
        assertThatThrownBy(() -> DockerReference.parse("Upper/Case")).isInstanceOf(Unjudgeable.class);
        assertThatThrownBy(() -> DockerReference.parse("")).isInstanceOf(Unjudgeable.class);
        assertThatThrownBy(() -> DockerReference.parse("nginx@sha256:short")).isInstanceOf(Unjudgeable.class);
    }
}
