package io.driftguard.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.TomlTable;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
    private static final Path CONFIG = Path.of("/etc/driftguard/driftguard.toml");

    @Test
    void sqliteIsTheDefault() throws Exception {
        assertThat(read("")).isEqualTo(new StoreSettings.Sqlite(Path.of(ConfigFile.DEFAULT_STORE)));
        assertThat(read("path = \"state/x.db\"\n")).isEqualTo(new StoreSettings.Sqlite(Path.of("/etc/driftguard/state/x.db")));
    }

    @Test
    void postgresUrlWithCredentialsFromAFile() throws Exception {
        StoreSettings settings = read("url = \"postgresql://db.example:6543/fleet\"\nuser = \"host7\"\n"
                + "password_file = \"db-password\"\nssl_root_cert = \"/etc/ssl/fleet-ca.pem\"\n");
        assertThat(settings).isEqualTo(new StoreSettings.Postgres("db.example", 6543, "fleet", "host7",
                Optional.of(Path.of("/etc/driftguard/db-password")), Optional.empty(), "verify-full",
                Optional.of(Path.of("/etc/ssl/fleet-ca.pem")), Path.of("/var/lib/driftguard/driftguard.db"),
                StoreSettings.DEFAULT_OUTBOX_MAX_EVENTS));
        assertThat(settings.toString()).isEqualTo("postgresql://db.example:6543/fleet");
        assertThat(((StoreSettings.Postgres) settings).jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/fleet");
    }

    @Test
    void badValuesNameTheirKey() throws Exception {
        assertThatThrownBy(() -> read("url = \"postgresql://u:secret@db/fleet\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("store.url").hasMessageContaining("must not hold credentials");
        assertThatThrownBy(() -> read("url = \"mysql://db/fleet\"\n")).hasMessageContaining("must be postgresql://host[:port]/database");
        assertThatThrownBy(() -> read("url = \"postgresql://db/fleet?sslmode=disable\"\n")).hasMessageContaining("takes no parameters");
        assertThatThrownBy(() -> read("url = \"postgresql://db/fleet\"\nssl_mode = \"sometimes\"\n"))
                .hasMessageContaining("store.ssl_mode").hasMessageContaining("verify-full");
        assertThatThrownBy(() -> read("url = \"postgresql://db/fleet\"\npassword_file = \"a\"\npassword_env = \"B\"\n"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> read("url = \"postgresql://db/fleet\"\noutbox_max_events = 10\n"))
                .hasMessageContaining("store.outbox_max_events").hasMessageContaining("at least 1000");
        assertThat(((StoreSettings.Postgres) read("url = \"postgresql://db/fleet\"\noutbox_max_events = 5000\n")).outboxMaxEvents())
                .isEqualTo(5000);
        assertThatThrownBy(() -> read("user = \"host7\"\n")).hasMessageContaining("store.user")
                .hasMessageContaining("applies only with [store] url");
    }

    @Test
    void aMissingPasswordNamesWhereItWasLookedFor() {
        StoreSettings.Postgres settings = new StoreSettings.Postgres("db", 5432, "fleet", "u", Optional.empty(),
                Optional.of("DRIFTGUARD_TEST_UNSET_VARIABLE"), "verify-full", Optional.empty(), Path.of("/var/lib/driftguard/driftguard.db"),
                StoreSettings.DEFAULT_OUTBOX_MAX_EVENTS);
        assertThatThrownBy(settings::password).hasMessage("[store] password_env names DRIFTGUARD_TEST_UNSET_VARIABLE, which is not set");
    }

    private static StoreSettings read(String body) throws ConfigException {
        ConfigFile config = ConfigFile.parse(CONFIG, "[store]\n" + body);
        TomlTable store = config.section("store");
        StoreSettings settings = StoreSettings.read(config, store);
        store.finish();
        config.finish();
        return settings;
    }
}
