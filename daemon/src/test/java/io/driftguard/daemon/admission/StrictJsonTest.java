package io.driftguard.daemon.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> StrictJson.parse(json("{\"HostConfig\":{\"Privileged\":false,\"Privileged\":true}}")))
                .isInstanceOf(Unjudgeable.class).hasMessageContaining("Duplicate field 'Privileged'");
    }

    @Test
    void keysThatDifferOnlyInCaseAreRefused() {
        assertThatThrownBy(() -> StrictJson.parse(json("{\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}")))
                .isInstanceOf(Unjudgeable.class).hasMessageContaining("HostConfig.privileged twice");
    }

    @Test
    void goFoldsTheKelvinSignAndTheLongS() {
        assertThatThrownBy(() -> StrictJson.parse(json("{\"Mounts\":[],\"Mount\u017F\":[]}")))
                .isInstanceOf(Unjudgeable.class);
        assertThat(StrictJson.field(StrictJson.parse(json("{\"Mount\u017F\":[1]}")), "Mounts")).isPresent();
    }

    @Test
    void fieldsAreFoundInAnyCaseAsDockerFindsThem() {
        var body = StrictJson.parse(json("{\"hostconfig\":{\"PRIVILEGED\":true}}"));
        assertThat(Fields.bool(Fields.object(body, "HostConfig").orElseThrow(), "Privileged")).isTrue();
    }

    @Test
    void trailingContentEmptyBodiesAndNonObjectsAreRefused() {
        assertThatThrownBy(() -> StrictJson.parse(json("{} {\"HostConfig\":{}}"))).isInstanceOf(Unjudgeable.class);
        assertThatThrownBy(() -> StrictJson.parse(json(""))).isInstanceOf(Unjudgeable.class);
        assertThatThrownBy(() -> StrictJson.parse(json("[1]"))).isInstanceOf(Unjudgeable.class);
        assertThatThrownBy(() -> Fields.bool(StrictJson.parse(json("{\"Privileged\":\"yes\"}")), "Privileged"))
                .isInstanceOf(Unjudgeable.class);
    }
}
