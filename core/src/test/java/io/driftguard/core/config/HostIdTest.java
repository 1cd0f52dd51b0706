package io.driftguard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.toml.TomlTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostIdTest {
    @Test
    void theConfiguredIdOrTheMachineId() throws Exception {
        assertThat(read("[daemon]\nhost_id = \"web-7.eu\"\n")).isEqualTo("web-7.eu");
        assertThat(read("")).isNotBlank().matches("[A-Za-z0-9][A-Za-z0-9._-]*");
    }

    @Test
    void aBadIdNamesTheKey() {
        assertThatThrownBy(() -> read("[daemon]\nhost_id = \"a b\"\n")).hasMessageContaining("daemon.host_id")
                .hasMessageContaining("1 to 64 letters");
    }

    private static String read(String text) throws Exception {
        ConfigFile config = ConfigFile.parse(Path.of("/etc/driftguard/driftguard.toml"), text);
        TomlTable daemon = config.section("daemon");
        String id = HostId.read(daemon);
        daemon.finish();
        config.finish();
        return id;
    }
}
