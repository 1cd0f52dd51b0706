package io.driftguard.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.toml.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftAndFileRulesTest {
    private static final Path FILE = Path.of("/etc/driftguard/policies.d/web.toml");

    private static List<Policy> parse(String text) throws ConfigException {
        return PolicyLoader.parse(FILE, text);
    }

    @Test
    void policyWithOnlyDriftProfileAndFileRulesIsValid() throws Exception {
        Policy policy = parse("""
                [[policy]]
                name = "Web"
                [policy.drift]
                action = "block"
                [policy.profile]
                mode = "learn"
                learn_for = "24h"
                action = "alert"
                [[policy.file]]
                paths = ["/etc/nginx/**"]
                access = "write"
                action = "alert"
                """).get(0);
        assertThat(policy.processRules()).isEmpty();
        assertThat(policy.drift().action()).isEqualTo(Action.BLOCK);
        assertThat(policy.profile().mode()).isEqualTo(ProfileRule.ProfileMode.LEARN);
        assertThat(policy.profile().learnFor()).isEqualTo(Duration.ofHours(24));
        assertThat(policy.fileRules().get(0).matches("/etc/nginx/conf.d/site.conf")).isTrue();
        assertThat(policy.fileRules().get(0).matches("/etc/passwd")).isFalse();
        assertThat(policy.fileRules().get(0).name()).isEqualTo("Web/file[0]");
    }

    @Test
    void stopAndRestartAreActionsOfDriftProfileAndFileRules() throws Exception {
        Policy policy = parse("""
                [[policy]]
                name = "Web"
                [policy.drift]
                action = "stop"
                [policy.profile]
                mode = "enforce"
                action = "restart"
                [[policy.file]]
                paths = ["/etc/nginx/*.conf"]
                action = "stop"
                except.paths = ["/etc/nginx/mime.conf"]
                """).get(0);
        assertThat(policy.drift().action()).isEqualTo(Action.STOP);
        assertThat(policy.profile().action()).isEqualTo(Action.RESTART);
        assertThat(policy.fileRules().get(0).action()).isEqualTo(Action.STOP);
        assertThatThrownBy(() -> parse("""
                [[policy]]
                name = "Web"
                [policy.drift]
                action = "isolate"
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("web.toml:4: policy[0].drift.action: must be one of alert, block, restart, stop here, not 'isolate'");
    }

    @Test
    void learnForTakesACountOfExecutables() throws Exception {
        ProfileRule rule = parse("""
                [[policy]]
                name = "Web"
                [policy.profile]
                mode = "learn"
                learn_for = "200 execs"
                """).get(0).profile();
        assertThat(rule.learnCount()).isEqualTo(200);
        assertThat(rule.learnFor()).isNull();
        assertThat(rule.action()).isEqualTo(Action.ALERT);
    }

    @Test
    void badValuesNameFileLineAndKey() {
        assertThatThrownBy(() -> parse("""
                [[policy]]
                name = "Web"
                [policy.drift]
                action = "kill"
                [policy.profile]
                mode = "learn"
                learn_for = "soon"
                [[policy.file]]
                paths = ["etc/nginx", "/etc/*/x"]
                access = "read"
                action = "block"
                bogus = 1
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("web.toml:4: policy[0].drift.action")
                .hasMessageContaining("web.toml:7: policy[0].profile.learn_for")
                .hasMessageContaining("web.toml:9: policy[0].file[0].paths[0]")
                .hasMessageContaining("web.toml:9: policy[0].file[0].paths[1]")
                .hasMessageContaining("web.toml:10: policy[0].file[0].access")
                .hasMessageContaining("web.toml:12: policy[0].file[0].bogus: unknown key");
    }

    @Test
    void emptyPolicyStillRejected() {
        assertThatThrownBy(() -> parse("""
                [[policy]]
                name = "Nothing"
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("has no rules");
    }

    @Test
    void pathGlobBaseIsTheDirectoryBeforeTheFirstWildcard() {
        assertThat(PathGlob.parse("/etc/nginx/**").orElseThrow().base()).isEqualTo("/etc/nginx");
        assertThat(PathGlob.parse("/etc/nginx/*.conf").orElseThrow().base()).isEqualTo("/etc/nginx");
        assertThat(PathGlob.parse("/etc/passwd").orElseThrow().base()).isEqualTo("/etc/passwd");
        assertThat(PathGlob.parse("/**").orElseThrow().base()).isEqualTo("/");
        assertThat(PathGlob.parse("/etc/nginx/*.conf").orElseThrow().matches("/etc/nginx/a/b.conf")).isFalse();
        assertThat(PathGlob.parse("/etc/../root")).isEmpty();
        assertThat(PathGlob.parse("relative/**")).isEmpty();
    }
}
