package io.driftguard.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** policy check, config check and help as an operator runs them, against the shipped conf/ files. */
class CheckCommandsTest {
    private static final Path CONF = Path.of("").toAbsolutePath().getParent().resolve("conf");

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpShowsTheNestedCommand() {
        Run help = run("help", "policy", "check");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: driftguard policy check");
        Run unknown = run("help", "policy", "nosuch");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'nosuch' of 'driftguard policy'; known: check");
    }

    @Test
    void policyCheckCountsEveryRuleKind() throws IOException {
        Files.writeString(tmp.resolve("a.toml"), """
                [[policy]]
                name = "A"
                [[policy.process]]
                action = "block"
                names = ["bash"]
                [[policy.process]]
                action = "alert"
                paths = ["/bin/sh"]
                [[policy.network]]
                action = "block"
                cidrs = ["169.254.169.254/32"]
                [[policy]]
                name = "B"
                mode = "audit"
                [[policy.syscall]]
                action = "kill"
                names = ["ptrace"]
                """);
        Run check = run("policy", "check", tmp.toString());
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("ok  A (enforce: 2 process rules, 1 network) at ", "ok  B (audit: 1 syscall) at ",
                "2 policies valid: 2 process rules, 0 drift, 0 profile, 0 file, 1 network, 1 syscall, 0 admission");
    }

    @Test
    void anEmptySetIsAWarningWhenAllowed() throws IOException {
        Run check = run("policy", "check", "--allow-empty", Files.createDirectory(tmp.resolve("empty")).toString());
        assertThat(check.code()).isZero();
        assertThat(check.out()).contains("0 policies valid");
        assertThat(check.err()).contains("warning: no policies in ");
    }

    @Test
    void theDaemonConfigHandedToPolicyCheckIsNamed() {
        Run check = run("policy", "check", CONF.resolve("driftguard.toml").toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.err()).contains("this is the daemon config (driftguard.toml), not a policy; use `driftguard config check`")
                .doesNotContain("unknown key");
    }

    @Test
    void configCheckValidatesTheShippedConfigAndSuggestsMisspeltKeys() throws IOException {
        Run ok = run("config", "check", "--config", CONF.resolve("driftguard.toml").toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("daemon config valid");

        Path bad = tmp.resolve("driftguard.toml");
        Files.writeString(bad, "[enforcement]\nfail_mod = \"deny\"\n[polices]\ndir = \"p\"\n");
        Run check = run("config", "check", "--config", bad.toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.err()).contains(bad + ":2: enforcement.fail_mod: unknown key; did you mean 'fail_mode'?",
                bad + ":3: polices: unknown section; did you mean 'policies'?");
    }

    @Test
    void aPolicyHandedToConfigCheckIsNamed() {
        Run check = run("config", "check", "--config", CONF.resolve("policies.d/10-block-shells.toml").toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.err()).contains("belong in a policy file", "driftguard policy check FILE");
    }
}
