package io.driftguard.daemon.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestPathTest {
    @Test
    void dotSegmentsRepeatedSlashesAndEscapesAreResolvedAsDockersRouterSeesThem() {
        assertThat(RequestPath.parse("/v1.41//containers/./create?name=x").is("containers", "create")).isTrue();
        assertThat(RequestPath.parse("/v1.41/contain%65rs/create").is("containers", "create")).isTrue();
        assertThat(RequestPath.parse("/images/../containers/create/").is("containers", "create")).isTrue();
        assertThat(RequestPath.parse("/containers/create?name=web&name=other").query()).containsEntry("name", "web");
    }

    @Test
    void theVersionPrefixIsTheApiVersion() {
        RequestPath old = RequestPath.parse("/v1.23/containers/abc/start");
        assertThat(old.version()).hasValueSatisfying(v -> assertThat(v.olderThan(1, 24)).isTrue());
        assertThat(old.is("containers", "*", "start")).isTrue();
        assertThat(RequestPath.parse("/v1.41/info").version().orElseThrow().olderThan(1, 24)).isFalse();
        assertThat(RequestPath.parse("/info").version()).isEmpty();
    }

    @Test
    void anEncodedSlashOrABadEscapeIsRefused() {
        assertThatThrownBy(() -> RequestPath.parse("/containers%2fcreate")).isInstanceOf(Unjudgeable.class);
        assertThatThrownBy(() -> RequestPath.parse("/containers/%zz")).isInstanceOf(Unjudgeable.class);
    }
}
