package io.driftguard.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.ConfigProblem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AdmissionRulesTest {
    private static final Path FILE = Path.of("/etc/driftguard/policies.d/20-admission.toml");

    @Test
    void readsEveryDocumentedKey() throws Exception {
        Policy policy = PolicyLoader.parse(FILE, """
                [[policy]]
                name = "HostHygiene"

                [policy.admission]
                action = "deny"
                privileged = false
                host_namespaces = false
                capabilities = ["NET_BIND_SERVICE", "cap_chown"]
                devices = false
                host_paths = ["/srv/app-data"]
                latest_tag = false
                registries = ["registry.example.com"]
                approved_only = true
                max_severity = "high"
                """).get(0);
        AdmissionRule rule = policy.admission();
        assertThat(rule).isEqualTo(new AdmissionRule(AdmissionRule.AdmissionAction.DENY, false, false,
                java.util.List.of("NET_BIND_SERVICE", "CHOWN"), false, java.util.List.of("/srv/app-data"), false,
                java.util.List.of("registry.example.com"), true, io.driftguard.core.event.Severity.HIGH));
        assertThat(policy.match().labels()).isEmpty();
    }

    @Test
    void theConfExampleIsValid() throws Exception {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/admission-example.toml");
        Policy policy = PolicyLoader.parse(example, java.nio.file.Files.readString(example)).get(0);
        assertThat(policy.admission().approvedOnly()).isTrue();
        assertThat(policy.match().labels()).containsEntry("tier", "web");
    }

    @Test
    void absentKeysDoNotRestrict() throws Exception {
        AdmissionRule rule = PolicyLoader.parse(FILE, "[[policy]]\nname = \"A\"\n[policy.admission]\naction = \"alert\"\n")
                .get(0).admission();
        assertThat(rule.privileged()).isTrue();
        assertThat(rule.capabilities()).isNull();
        assertThat(rule.hostPaths()).isNull();
        assertThat(rule.approvedOnly()).isFalse();
        assertThat(rule.maxSeverity()).isNull();
        assertThat(rule.action().refuses()).isFalse();
        assertThat(AdmissionRule.AdmissionAction.DENY.under(Mode.AUDIT)).isEqualTo(AdmissionRule.AdmissionAction.ALERT);
    }

    @Test
    void badValuesNameFileLineAndKey() {
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Bad"
                [policy.admission]
                action = "block"
                privileged = "no"
                capabilities = ["NET BIND"]
                host_paths = ["relative/path", "/srv/"]
                registries = ["https://registry.example.com"]
                latest = false
                max_severity = "info"
                """))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .contains(
                                FILE + ":4: policy[0].admission.action: must be one of deny, alert, isolate, not 'block'",
                                FILE + ":6: policy[0].admission.capabilities[0]: must be a capability name such as \"NET_BIND_SERVICE\", not 'NET BIND'",
                                FILE + ":7: policy[0].admission.host_paths[0]: must be an absolute, normalised host path without a trailing '/', not 'relative/path'",
                                FILE + ":7: policy[0].admission.host_paths[1]: must be an absolute, normalised host path without a trailing '/', not '/srv/'",
                                FILE + ":9: policy[0].admission.latest: unknown key",
                                FILE + ":10: policy[0].admission.max_severity: must be one of low, medium, high, critical, not 'info'")
                        .anySatisfy(p -> assertThat(p).contains("admission.privileged"))
                        .anySatisfy(p -> assertThat(p).contains("admission.registries[0]")));
    }
}
