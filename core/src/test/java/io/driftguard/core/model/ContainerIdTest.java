package io.driftguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerIdTest {
    private static final String ID = "4f1c2a9be0d3c6a7b8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5";

    @Test
    void keepsTheFullIdAndShortensLikeDocker() {
        ContainerId id = ContainerId.parse(ID);
        assertThat(id).hasToString(ID);
        assertThat(id.shortForm()).isEqualTo("4f1c2a9be0d3");
        assertThat(id.startsWith("4f1c")).isTrue();
        assertThat(id).isEqualTo(ContainerId.parse(ID));
    }

    @Test
    void isItsTextInJson() throws Exception {
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(ContainerId.parse(ID)))
                .isEqualTo("\"" + ID + "\"");
    }

    @Test
    void refusesPrefixesUpperCaseAndOtherText() {
        assertThatThrownBy(() -> ContainerId.parse("4f1c2a9be0d3")).hasMessageContaining("not a full container id");
        assertThatThrownBy(() -> ContainerId.parse(ID.toUpperCase())).hasMessageContaining("64 lower-case hex");
        assertThatThrownBy(() -> ContainerId.parse("../" + ID.substring(3))).hasMessageContaining("'../");
        assertThatThrownBy(() -> ContainerId.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
