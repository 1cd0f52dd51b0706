package io.driftguard.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TomlLineIndexTest {
    private static final String TEXT = """
            # comment [not a table]
            [docker]
            socket = "unix:///x" # trailing

            [[policy]]
            name = "A"
            match.labels = { app = "x", "team.name" = 'y' }

            [[policy.process]]
            action = "block"
            names = [
              "sh",   # first
              "bash",
            ]

            [[policy]]
            name = \"\"\"multi
            line\"\"\"
            [[policy.process]]
            name_regex = ["^a$", "[b"]
            """;

    @Test
    void findsKeysTablesAndArrayElementsByLine() {
        TomlLineIndex index = TomlLineIndex.of(TEXT);
        assertThat(index.lineOf("docker.socket")).isEqualTo(3);
        assertThat(index.lineOf("policy[0]")).isEqualTo(5);
        assertThat(index.lineOf("policy[0].match.labels")).isEqualTo(7);
        assertThat(index.lineOf("policy[0].match.labels.app")).isEqualTo(7);
        assertThat(index.lineOf("policy[0].process[0].action")).isEqualTo(10);
        assertThat(index.lineOf("policy[0].process[0].names[1]")).isEqualTo(13);
        assertThat(index.lineOf("policy[1].name")).isEqualTo(17);
        assertThat(index.lineOf("policy[1].process[0]")).isEqualTo(19);
        assertThat(index.lineOf("policy[1].process[0].name_regex[1]")).isEqualTo(20);
    }

    @Test
    void unknownPathsFallBackToTheirNearestParent() {
        TomlLineIndex index = TomlLineIndex.of(TEXT);
        assertThat(index.lineOf("policy[0].process[0].nothing")).isEqualTo(9);
        assertThat(index.lineOf("nothing.at.all")).isZero();
    }
}
