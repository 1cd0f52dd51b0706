package io.driftguard.scan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.toml.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScanConfigReaderTest {
    private static final Path FILE = Path.of("/etc/driftguard/driftguard.toml");

    @Test
    void readsRegistriesWithDefaults() throws Exception {
        ScanConfig config = read("""
                [store]
                path = "state/driftguard.db"

                [scan]
                retry_delay = "250ms"
                page_size = 50

                [[registry]]
                url = "https://registry.local:5000/"
                repositories = ["myteam/nginx"]
                include_tags = "1\\\\..*"
                username = "scanner"
                password_file = "secrets/registry.pw"
                platforms = ["linux/amd64"]

                [[registry]]
                url = "http://127.0.0.1:5000"
                concurrency = 2
                """);
        assertThat(config.store()).isEqualTo(new StoreSettings.Sqlite(Path.of("/etc/driftguard/state/driftguard.db")));
        assertThat(config.retryDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.pageSize()).isEqualTo(50);
        RegistryConfig first = config.registries().get(0);
        assertThat(first.name()).isEqualTo("registry.local:5000");
        assertThat(first.credentials()).isEqualTo(new CredentialSource.UsernamePassword("scanner",
                Path.of("/etc/driftguard/secrets/registry.pw")));
        assertThat(first.tagFilter().accepts("1.21.0")).isTrue();
        assertThat(first.tagFilter().accepts("latest")).isFalse();
        assertThat(first.concurrency()).isEqualTo(4);
        assertThat(first.watches("linux/arm64")).isFalse();
        assertThat(config.registries().get(1).credentials()).isInstanceOf(CredentialSource.Anonymous.class);
        assertThat(config.registries().get(1).concurrency()).isEqualTo(2);
    }

    @Test
    void reportsEveryProblemWithFileLineAndKey() {
        assertThatThrownBy(() -> read("""
                [scan]
                retries = 99

                [[registry]]
                url = "http://registry.example"
                include = "(unclosed"
                credential_helper = "../../bin/sh"
                colour = "blue"

                [[registry]]
                url = "https://a.example"
                insecure = true
                username = "x"
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/etc/driftguard/driftguard.toml:2: scan.retries: must be between 0 and 10, not 99")
                .hasMessageContaining(":5: registry[0].url: plain http to registry.example")
                .hasMessageContaining(":6: registry[0].include: is not a valid regular expression")
                .hasMessageContaining(":7: registry[0].credential_helper: must be the NAME")
                .hasMessageContaining(":8: registry[0].colour: unknown key")
                .hasMessageContaining(":12: registry[1].insecure: applies to http:// URLs only")
                .hasMessageContaining(":13: registry[1].username: username and password_file go together");
    }

    @Test
    void allowsPlainHttpWhenSaidExplicitly() throws Exception {
        assertThat(read("[[registry]]\nurl = \"http://registry.lan:5000\"\ninsecure = true\n").registries().get(0).insecure()).isTrue();
        assertThatThrownBy(() -> read("[[registry]]\nurl = \"http://127.0.0.1:5000\"\n[[registry]]\nurl = \"http://127.0.0.1:5000\"\n"))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> read("[[registry]]\nurl = \"https://a.example/v2/\"\n")).hasMessageContaining("no user, path or query");
    }

    @Test
    void neverEchoesAPasswordGivenInTheUrl() {
        assertThatThrownBy(() -> read("[[registry]]\nurl = \"https://scanner:hunter2@registry.example\"\n"))
                .hasMessageContaining("registry[0].url: must be scheme://host[:port] with no user")
                .hasMessageContaining("https://***@registry.example")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> read("[[registry]]\nurl = \"ftp://scanner:hunter2@registry.example\"\n"))
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> read("[[registry]]\nurl = \"https://scanner:hun ter2@registry.example\"\n"))
                .hasMessageNotContaining("hun ter2");
    }

    @Test
    void readsImagePolicyAndCheckedIgnores() throws Exception {
        ImagePolicy policy = read("""
                [scan]
                fail_on = "critical"
                max_db_age = "2d"

                [[scan.ignore]]
                id = "CVE-2023-4807"
                reason = "Windows only"
                expires = "2027-01-31"
                """).images();
        assertThat(policy.failOn()).contains(io.driftguard.core.event.Severity.CRITICAL);
        assertThat(policy.fails(io.driftguard.core.event.Severity.HIGH)).isFalse();
        assertThat(policy.maxDbAge()).isEqualTo(Duration.ofDays(2));
        assertThat(policy.ignores()).singleElement().satisfies(i -> {
            assertThat(i.id()).contains("CVE-2023-4807");
            assertThat(i.activeOn(java.time.LocalDate.parse("2027-01-31"))).isTrue();
            assertThat(i.activeOn(java.time.LocalDate.parse("2027-02-01"))).isFalse();
        });
        assertThat(read("[scan]\nfail_on = \"none\"\n").images().failOn()).isEmpty();
        assertThat(read("").images().failOn()).contains(io.driftguard.core.event.Severity.HIGH);
        assertThatThrownBy(() -> read("""
                [scan]
                fail_on = "severe"

                [[scan.ignore]]
                id = "CVE-1"
                digest = "sha256:abc"
                expires = "soon"
                """))
                .hasMessageContaining(":2: scan.fail_on: must be one of low, medium, high, critical or none, not 'severe'")
                .hasMessageContaining("scan.ignore[0].digest: sha256 digest must be 64")
                .hasMessageContaining("scan.ignore[0]: give either id (an advisory) or digest (an image)")
                .hasMessageContaining("scan.ignore[0].reason: is required")
                .hasMessageContaining(":7: scan.ignore[0].expires: must be a date such as 2027-01-31, not 'soon'");
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        ScanConfig example = ScanConfigReader.read(Path.of("../conf/scan-example.toml"));
        assertThat(example.registries()).extracting(RegistryConfig::name).containsExactly("127.0.0.1:5000");
    }

    private static ScanConfig read(String text) throws ConfigException {
        return ScanConfigReader.read(ConfigFile.parse(FILE, text));
    }
}
