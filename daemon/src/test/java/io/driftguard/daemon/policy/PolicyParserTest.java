package io.driftguard.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.model.Digest;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.ConfigProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyParserTest {
    private static final Path FILE = Path.of("/etc/driftguard/policies.d/10-test.toml");

    @TempDir
    Path tmp;

    @Test
    void readsTheDocumentedExamples() throws Exception {
        Path examples = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/policies.d");
        List<Policy> policies = PolicyLoader.load(examples, false).policies();
        assertThat(policies).extracting(Policy::name).containsExactly("BlockShellExecution", "NoMetadataNoPtrace");
        Policy policy = policies.get(0);
        assertThat(policy.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(policy.match().labels()).isEqualTo(Map.of("app", "my-secure-app"));
        ProcessRule rule = policy.processRules().get(0);
        assertThat(rule.action()).isEqualTo(Action.BLOCK);
        assertThat(rule.names()).contains("sh", "bash");
        assertThat(policies.get(1).networkRules().get(0).cidrs()).hasSize(2);
        assertThat(policies.get(1).syscallRules().get(0).names()).contains("ptrace");
    }

    @Test
    void readsEverySelector() throws Exception {
        Policy policy = PolicyLoader.parse(FILE, """
                [[policy]]
                name = "All"
                mode = "audit"
                match.images = ["nginx:*"]
                match.names = ["/web-*"]

                [[policy.process]]
                name = "no-nc"
                action = "kill"
                name_regex = ["^n(c|cat)$"]
                paths = ["/usr/bin/nc"]
                args_regex = ["^-e$"]
                sha256 = ["sha256:%s"]
                """.formatted("A".repeat(64))).get(0);
        ProcessRule rule = policy.processRules().get(0);
        assertThat(rule.name()).isEqualTo("no-nc");
        assertThat(rule.sha256()).containsExactly(Digest.parse("sha256:" + "a".repeat(64)));
        assertThat(rule.matchesName("ncat")).isTrue();
        assertThat(rule.matchesArgs(List.of("nc", "-e", "/bin/sh"))).isTrue();
        assertThat(rule.matchesArgs(List.of("-e"))).as("argv[0] is not an argument").isFalse();
        assertThat(rule.action().under(policy.mode())).isEqualTo(Action.ALERT);
        assertThat(policy.match().names().get(0).text()).isEqualTo("web-*");
    }

    @Test
    void everyProblemNamesFileLineAndKey() {
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Bad"
                mode = "enforcing"
                colour = "red"

                [[policy.process]]
                action = "block"
                names = ["sh", "/bin/bash"]
                name_regex = [
                  "ok",
                  "([unclosed",
                ]
                sha256 = ["xyz"]
                """))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                FILE + ":3: policy[0].mode: must be one of enforce, audit, not 'enforcing'",
                                FILE + ":8: policy[0].process[0].names[1]: must be a file name without '/' or control characters, such as \"bash\"; use paths for full paths, not '/bin/bash'",
                                FILE + ":11: policy[0].process[0].name_regex[1]: invalid regex: missing closing ] in '([unclosed' (RE2 syntax, matched in linear time: no backreferences or lookaround)",
                                FILE + ":13: policy[0].process[0].sha256[0]: must be 64 hex digits (optionally prefixed sha256:), not 'xyz'",
                                FILE + ":4: policy[0].colour: unknown key"));
    }

    @Test
    void emptyPoliciesAndRulesWithoutSelectorsAreRejected() {
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, "[[policy]]\nname = \"Empty\"\n"))
                .hasMessageContaining(FILE + ":1: policy[0]: policy 'Empty' has no rules");
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, "[[policy]]\nname = \"X\"\n[[policy.process]]\naction = \"block\"\n"))
                .hasMessageContaining(":3: policy[0].process[0]: a process rule needs at least one of names");
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, "[[policy]]\nname = \"X\"\n[[policy.process]]\nnames = [\"sh\"]\n"))
                .hasMessageContaining("missing required key 'action'");
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, "# nothing\n"))
                .hasMessageContaining("no [[policy]] table in this file");
    }

    @Test
    void duplicateNamesAcrossFilesRejectTheWholeSet() throws Exception {
        String policy = "[[policy]]\nname = \"Same\"\n[[policy.process]]\naction = \"alert\"\nnames = [\"sh\"]\n";
        Files.writeString(tmp.resolve("a.toml"), policy);
        Files.writeString(tmp.resolve("b.toml"), "\n" + policy);
        assertThatThrownBy(() -> PolicyLoader.load(tmp, false))
                .hasMessage(tmp.resolve("b.toml") + ":2: name: duplicate policy name 'Same', first defined at "
                        + tmp.resolve("a.toml") + ":1");
    }

    @Test
    void readsNetworkAndSyscallRules() throws Exception {
        Policy policy = PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Kernel"
                [[policy.network]]
                action = "isolate"
                cidrs = ["169.254.169.254/32", "fd00::/8"]
                ports = [25, 6379]
                protocols = ["tcp", "udp"]
                [[policy.syscall]]
                action = "kill"
                names = ["ptrace", "process_vm_writev"]
                """).get(0);
        assertThat(policy.networkRules().get(0).cidrs()).hasSize(2);
        assertThat(policy.networkRules().get(0).ports()).containsExactlyInAnyOrder(25, 6379);
        assertThat(policy.networkRules().get(0).action()).isEqualTo(Action.ISOLATE);
        assertThat(policy.syscallRules().get(0).names()).containsExactly("ptrace", "process_vm_writev");
    }

    @Test
    void kernelRulesAreCheckedAsStrictly() {
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Bad"
                [[policy.network]]
                action = "kill"
                cidrs = ["10.0.0.1/8", "nonsense"]
                ports = [0]
                protocols = ["icmp"]
                [[policy.syscall]]
                action = "block"
                names = ["ptrace", "no_such_call"]
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.startsWith(FILE + ":4: policy[0].network[0].action: must be one of allow, alert, block, isolate, restart, stop here"))
                .anyMatch(p -> p.startsWith(FILE + ":5: policy[0].network[0].cidrs[0]:"))
                .anyMatch(p -> p.startsWith(FILE + ":5: policy[0].network[0].cidrs[1]:"))
                .anyMatch(p -> p.startsWith(FILE + ":6: policy[0].network[0].ports[0]: must be a port from 1 to 65535"))
                .anyMatch(p -> p.startsWith(FILE + ":7: policy[0].network[0].protocols[0]: must be tcp or udp"))
                .anyMatch(p -> p.startsWith(FILE + ":9: policy[0].syscall[0].action: block is not possible for syscalls"))
                .anyMatch(p -> p.equals(FILE + ":10: policy[0].syscall[0].names[1]: unknown syscall 'no_such_call' on this architecture")));
    }

    @Test
    void aNetworkRuleCanExceptNetworksAndAllowRulesSurviveAuditMode() throws Exception {
        Policy policy = PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Egress"
                mode = "audit"
                [[policy.network]]
                action = "block"
                cidrs = ["0.0.0.0/0", "::/0"]
                except = ["10.20.0.0/16", "10.0.0.53/32", "127.0.0.0/8", "::1/128"]
                [[policy.network]]
                action = "allow"
                cidrs = ["192.168.1.0/24"]
                ports = [53]
                """).get(0);
        assertThat(policy.networkRules().get(0).except()).extracting(Cidr::toString)
                .containsExactly("10.20.0.0/16", "10.0.0.53/32", "127.0.0.0/8", "::1/128");
        assertThat(policy.networkRules().get(1).action().under(policy.mode())).isEqualTo(Action.ALLOW);
        assertThat(policy.networkRules().get(0).action().under(policy.mode())).isEqualTo(Action.ALERT);
    }

    @Test
    void anExceptOutsideTheRuleOrEmptyIsAnError() {
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Bad"
                [[policy.network]]
                action = "block"
                cidrs = ["10.0.0.0/8"]
                except = ["192.168.0.0/16", "10.1.0.1/16"]
                [[policy.network]]
                action = "block"
                cidrs = ["10.0.0.0/8"]
                except = []
                [[policy.process]]
                action = "allow"
                names = ["sh"]
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.equals(FILE + ":6: policy[0].network[0].except[0]: 192.168.0.0/16 lies outside every CIDR of the rule,"
                        + " so excepting it changes nothing"))
                .anyMatch(p -> p.equals(FILE + ":6: policy[0].network[0].except[1]: 10.1.0.1/16 has host bits set"))
                .anyMatch(p -> p.startsWith(FILE + ":10: policy[0].network[1].except: must not be empty"))
                .anyMatch(p -> p.startsWith(FILE + ":12: policy[0].process[0].action: must be one of alert, block, kill, isolate, restart, stop here")));
    }

    @Test
    void processDriftAndFileRulesTakeExceptions() throws Exception {
        Policy policy = PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Health"
                [[policy.process]]
                action = "block"
                names = ["sh", "dash"]
                except.paths = ["/opt/probe/**"]
                except.parents = ["healthcheck.sh", "/usr/local/bin/probe-*"]
                [policy.drift]
                action = "block"
                except.parents = ["healthcheck.sh"]
                [[policy.file]]
                action = "alert"
                paths = ["/etc/**"]
                except.paths = ["/etc/hostname"]
                """).get(0);
        RuleExceptions except = policy.processRules().get(0).except();
        assertThat(except.parentNames()).containsExactly("healthcheck.sh");
        assertThat(except.parentPaths()).extracting(PathGlob::text).containsExactly("/usr/local/bin/probe-*");
        assertThat(except.coversPath("/opt/probe/bin/sh")).isTrue();
        assertThat(policy.drift().except().parentNames()).containsExactly("healthcheck.sh");
        assertThat(policy.fileRules().get(0).matches("/etc/hostname")).isFalse();
        assertThat(policy.fileRules().get(0).matches("/etc/passwd")).isTrue();
    }

    @Test
    void badExceptionsNameFileLineAndKey() {
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, """
                [[policy]]
                name = "Bad"
                [[policy.process]]
                action = "block"
                names = ["sh"]
                except.paths = ["relative/x"]
                except.parents = ["a-name-longer-than-15"]
                except.users = ["root"]
                [[policy.file]]
                action = "alert"
                paths = ["/etc/**"]
                except.parents = ["sh"]
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.startsWith(FILE + ":6: policy[0].process[0].except.paths[0]: must be an absolute"))
                .anyMatch(p -> p.startsWith(FILE + ":7: policy[0].process[0].except.parents[0]: a parent name is the process name"))
                .anyMatch(p -> p.startsWith(FILE + ":8: policy[0].process[0].except.users"))
                .anyMatch(p -> p.startsWith(FILE + ":12: policy[0].file[0].except.parents: a file rule cannot except by parent")));
    }

    @Test
    void aMissingFolderIsAnError() {
        assertThatThrownBy(() -> PolicyLoader.load(tmp.resolve("absent"), false)).hasMessageContaining("no such policy file or folder");
    }

    @Test
    void everyIrregularEntryOfTheFolderIsAnErrorWithItsPath() throws Exception {
        String policy = "[[policy]]\nname = \"P\"\n[[policy.process]]\naction = \"alert\"\nnames = [\"sh\"]\n";
        Files.writeString(tmp.resolve("a.toml"), policy);
        Files.writeString(tmp.resolve("b.toml.bak"), policy);
        Files.createSymbolicLink(tmp.resolve("dangling.toml"), tmp.resolve("nowhere"));
        Files.createSymbolicLink(tmp.resolve("loop.toml"), tmp.resolve("loop.toml"));
        Files.createDirectory(tmp.resolve("folder.toml"));
        new ProcessBuilder("mkfifo", tmp.resolve("fifo.toml").toString()).start().waitFor();
        assertThatThrownBy(() -> PolicyLoader.load(tmp, false)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).extracting(ConfigProblem::file).containsExactlyInAnyOrder(tmp.resolve("b.toml.bak"),
                        tmp.resolve("dangling.toml"), tmp.resolve("loop.toml"), tmp.resolve("folder.toml"), tmp.resolve("fifo.toml")));
    }

    @Test
    void anEmptyFolderIsAnErrorUnlessAllowed() throws Exception {
        assertThatThrownBy(() -> PolicyLoader.load(tmp, false)).hasMessageContaining("no policies: nothing would be enforced");
        assertThat(PolicyLoader.load(tmp, true).policies()).isEmpty();
        Files.writeString(tmp.resolve(PolicyLoader.ALLOW_EMPTY_MARKER), "");
        assertThat(PolicyLoader.load(tmp, false).allowEmpty()).isTrue();
    }

    @Test
    void aSetWithFewerFilesDoesNotReplaceTheRunningOneUnlessTheMarkerSaysSo() throws Exception {
        String policy = "[[policy]]\nname = \"%s\"\n[[policy.process]]\naction = \"alert\"\nnames = [\"sh\"]\n";
        Files.writeString(tmp.resolve("a.toml"), policy.formatted("A"));
        Files.writeString(tmp.resolve("b.toml"), policy.formatted("B"));
        PolicySet running = PolicyLoader.load(tmp, false);
        Files.delete(tmp.resolve("b.toml"));
        assertThat(PolicyLoader.load(tmp, false).shrinks(running)).get().asString().contains("1 policy files, 2 before");
        Files.writeString(tmp.resolve(PolicyLoader.ALLOW_EMPTY_MARKER), "");
        assertThat(PolicyLoader.load(tmp, false).shrinks(running)).isEmpty();
    }

    @Test
    void aDeeplyNestedFileIsRefusedNotFatal() throws Exception {
        Files.writeString(tmp.resolve("deep.toml"), "x = " + "[".repeat(5000) + "]".repeat(5000) + "\n");
        assertThatThrownBy(() -> PolicyLoader.load(tmp, false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("deep.toml");
    }
}
