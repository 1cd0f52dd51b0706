package io.driftguard.daemon.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.kernel.FileKey;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Match;
import io.driftguard.daemon.policy.Mode;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PathGlob;
import io.driftguard.daemon.policy.ProcessRule;
import io.driftguard.daemon.policy.RuleExceptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecRulesTest {
    private static final FileKey BUSYBOX = new FileKey(42, 1001);
    private static final FileKey OTHER = new FileKey(42, 2002);

    private static RuleRef rule(String name, Action action, Mode mode, List<String> names, List<String> paths,
                                Set<Digest> sha256, List<Pattern> args) {
        ProcessRule rule = new ProcessRule(name, action, names, List.of(), paths, args, sha256);
        Policy policy = new Policy("P-" + name, Path.of("p.toml"), 1, mode, new Match(Map.of(), List.of(), List.of()), List.of(rule));
        return new RuleRef(policy, rule);
    }

    @Test
    void aNameResolvedAtAttachMatchesTheFileThatRuns() {
        RuleRef shells = rule("shells", Action.BLOCK, Mode.ENFORCE, List.of("sh"), List.of(), Set.of(), List.of());
        ExecRules rules = new ExecRules(List.of(shells), Map.of(BUSYBOX, List.of(new ExecTarget(shells, "sh", "/bin/busybox"))));
        Verdict verdict = rules.decide(BUSYBOX, "/bin/busybox", null, r -> false);
        assertThat(verdict.rule()).isEqualTo(shells);
        assertThat(verdict.allows()).isFalse();
        assertThat(verdict.ignoreFromNowOn()).isFalse();
        assertThat(verdict.reason()).isEqualTo("name sh, which is /bin/busybox here");
        Verdict other = rules.decide(OTHER, "/usr/bin/cat", null, r -> false);
        assertThat(other.rule()).isNull();
        assertThat(other.allows()).isTrue();
        assertThat(other.ignoreFromNowOn()).isTrue();
    }

    @Test
    void filesThatAppearLaterMatchByNamePathAndDigest() {
        RuleRef byName = rule("n", Action.ALERT, Mode.ENFORCE, List.of("bash"), List.of(), Set.of(), List.of());
        RuleRef byPath = rule("p", Action.BLOCK, Mode.ENFORCE, List.of(), List.of("/usr/bin/nc"), Set.of(), List.of());
        RuleRef byDigest = rule("d", Action.KILL, Mode.ENFORCE, List.of(), List.of(), Set.of(new Digest("sha256", "ab".repeat(32))), List.of());
        ExecRules rules = new ExecRules(List.of(byName, byPath, byDigest), Map.of());
        assertThat(rules.needsDigest()).isTrue();
        assertThat(rules.decide(OTHER, "/tmp/bash", null, r -> false).rule()).isEqualTo(byName);
        assertThat(rules.decide(OTHER, "/usr/bin/nc", null, r -> false).rule()).isEqualTo(byPath);
        Verdict renamedCopy = rules.decide(OTHER, "/tmp/x", "ab".repeat(32), r -> false);
        assertThat(renamedCopy.rule()).isEqualTo(byDigest);
        assertThat(renamedCopy.reason()).startsWith("sha256 abab");
    }

    @Test
    void theStrongestActionWinsAndAuditOnlyAlerts() {
        RuleRef alert = rule("a", Action.ALERT, Mode.ENFORCE, List.of("bash"), List.of(), Set.of(), List.of());
        RuleRef kill = rule("k", Action.KILL, Mode.ENFORCE, List.of("bash"), List.of(), Set.of(), List.of());
        RuleRef audited = rule("b", Action.BLOCK, Mode.AUDIT, List.of("bash"), List.of(), Set.of(), List.of());
        assertThat(new ExecRules(List.of(alert, kill, audited), Map.of()).decide(OTHER, "/bin/bash", null, r -> false).rule()).isEqualTo(kill);
        Verdict auditOnly = new ExecRules(List.of(audited), Map.of()).decide(OTHER, "/bin/bash", null, r -> false);
        assertThat(auditOnly.allows()).isTrue();
        assertThat(auditOnly.rule().action()).isEqualTo(Action.ALERT);
    }

    @Test
    void argumentRulesWaitUntilAfterTheExec() {
        RuleRef args = rule("args", Action.BLOCK, Mode.ENFORCE, List.of("bash"), List.of(), Set.of(), List.of(Pattern.compile("^-c$")));
        Verdict verdict = new ExecRules(List.of(args), Map.of()).decide(OTHER, "/bin/bash", null, r -> false);
        assertThat(verdict.allows()).isTrue();
        assertThat(verdict.afterExec()).containsExactly(args);
        assertThat(verdict.ignoreFromNowOn()).isFalse();
    }

    @Test
    void anExceptedRuleIsLeftOutAndTheFileIsNotIgnoredFromThenOn() {
        ProcessRule shell = new ProcessRule("no-shell", Action.BLOCK, List.of("dash"), List.of(), List.of(), List.of(), Set.of(),
                new RuleExceptions(List.of(), List.of(), List.of("healthcheck.sh")));
        RuleRef ref = new RuleRef(new Policy("P", Path.of("p.toml"), 1, Mode.ENFORCE, new Match(Map.of(), List.of(), List.of()),
                List.of(shell)), shell);
        ExecRules rules = new ExecRules(List.of(ref), Map.of());
        RuleExceptions.Parent script = new RuleExceptions.Parent("/usr/bin/dash", "healthcheck.sh");
        RuleExceptions.Parent other = new RuleExceptions.Parent("/usr/bin/dash", "dash");

        Verdict excepted = rules.decide(OTHER, "/usr/bin/dash", null, r -> r.rule().except().covers("/usr/bin/dash", () -> script));
        assertThat(excepted.allows()).isTrue();
        assertThat(excepted.ignoreFromNowOn()).as("the next exec may have another parent").isFalse();
        Verdict blocked = rules.decide(OTHER, "/usr/bin/dash", null, r -> r.rule().except().covers("/usr/bin/dash", () -> other));
        assertThat(blocked.allows()).isFalse();
        assertThat(new RuleExceptions(List.of(PathGlob.parse("/opt/ok/**").orElseThrow()), List.of(), List.of())
                .covers("/opt/ok/bin/dash", () -> { throw new AssertionError("a path exception needs no parent"); })).isTrue();
    }
}
