package io.driftguard.daemon.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.ConfigProblem;
import io.driftguard.daemon.bpf.BpfProbe;
import io.driftguard.daemon.bpf.Mechanism;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule kind's limits fed through both sides: what {@code policy check} refuses is named with
 * its key, and what it accepts the attach side takes whole (nothing refused), so that a policy
 * that checks never fails on a container.
 */
class RuleLimitsTest {
    private static final Path FILE = Path.of("/etc/driftguard/policies.d/limits.toml");
    private static final BpfProbe EVERYTHING = everything();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty cidrs           | [[policy.network]]\\naction = "block"\\ncidrs = []                     | policy[0].network[0].cidrs:
            kill name of 32 bytes | [[policy.process]]\\naction = "kill"\\nnames = ["LONG"]               | policy[0].process[0].names[0]:
            empty names list      | [[policy.process]]\\naction = "block"\\nnames = []                     | policy[0].process[0].names:
            empty name            | [[policy.process]]\\naction = "block"\\nnames = [""]                   | policy[0].process[0].names[0]:
            star as a name        | [[policy.process]]\\naction = "block"\\nnames = ["*"]                  | policy[0].process[0].names[0]:
            NUL in a name         | [[policy.process]]\\naction = "block"\\nnames = ["sh\\u0000x"]          | policy[0].process[0].names[0]:
            newline in a path     | [[policy.process]]\\naction = "block"\\npaths = ["/bin/sh\\u000ax"] | policy[0].process[0].paths[0]:
            empty regex           | [[policy.process]]\\naction = "block"\\nname_regex = [""]              | policy[0].process[0].name_regex[0]:
            empty rule name       | [[policy.process]]\\nname = ""\\naction = "block"\\nnames = ["sh"]     | policy[0].process[0].name:
            empty ports           | [[policy.network]]\\naction = "block"\\ncidrs = ["10.0.0.0/8"]\\nports = [] | policy[0].network[0].ports:
            empty image glob      | match.images = [""]\\n[[policy.process]]\\naction = "block"\\nnames = ["sh"] | policy[0].match.images[0]:
            empty label key       | match.labels = { "" = "x" }\\n[[policy.process]]\\naction = "block"\\nnames = ["sh"] | policy[0].match.labels:
            bracket name glob     | match.names = ["[a-"]\\n[[policy.process]]\\naction = "block"\\nnames = ["sh"] | policy[0].match.names[0]:
            unclosed bracket path | [[policy.file]]\\naction = "alert"\\npaths = ["/etc/[a-"]              | policy[0].file[0].paths[0]:
            triple star path      | [[policy.file]]\\naction = "alert"\\npaths = ["/etc/***"]              | policy[0].file[0].paths[0]:
            star star in element  | [[policy.file]]\\naction = "alert"\\npaths = ["/etc/x**"]              | policy[0].file[0].paths[0]:
            empty syscall name    | [[policy.syscall]]\\naction = "kill"\\nnames = [""]                   | policy[0].syscall[0].names[0]:
            """)
    void checkRefusesWithTheKey(String what, String rules, String key) {
        String policy = "[[policy]]\nname = \"Limits\"\n" + rules.replace("\\n", "\n").replace("LONG", "k".repeat(32)) + "\n";
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, policy)).as(what)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString).anyMatch(p -> p.contains(": " + key)));
    }

    @Test
    void anEmptyPolicyNameIsRefused() {
        assertThatThrownBy(() -> PolicyLoader.parse(FILE, "[[policy]]\nname = \"\"\n[[policy.process]]\naction = \"block\"\nnames = [\"sh\"]\n"))
                .hasMessageContaining("policy[0].name: must be letters");
    }

    @Test
    void whatCheckAcceptsAtTheLimitsAttachesWhole() throws Exception {
        StringBuilder toml = new StringBuilder("""
                [[policy]]
                name = "AtTheLimits"
                match.names = ["web-*", "/db?"]
                match.images = ["nginx:*"]
                match.labels = { app = "" }
                [[policy.process]]
                name = "%s"
                action = "kill"
                names = ["%s", "nc"]
                [[policy.process]]
                action = "block"
                names = ["%s"]
                paths = ["/bin/sh"]
                [[policy.syscall]]
                action = "kill"
                names = ["ptrace"]
                [[policy.file]]
                action = "alert"
                paths = ["/etc/**/x?.conf"]
                """.formatted("r".repeat(128), "k".repeat(31), "b".repeat(200)));
        for (int i = 0; i < 64; i++) {
            toml.append("[[policy.network]]\naction = \"block\"\ncidrs = [\"10.0.0.").append(i).append("/32\"]\nports = [").append(i + 1)
                    .append("]\nprotocols = [\"tcp\"]\n");
        }
        List<Policy> policies = PolicyLoader.parse(FILE, toml.toString());
        BpfRules split = BpfRules.split(policies, EVERYTHING);
        assertThat(split.refused()).isEmpty();
        assertThat(split.kernel().network()).hasSize(64);
        assertThat(split.kernel().processNames()).hasSize(1);
        assertThat(split.fanotify()).hasSize(1);
    }

    @Test
    void rulesOverTheContainerLimitAreLeftOutAndTheOthersKept() throws Exception {
        List<Policy> policies = new ArrayList<>();
        for (String name : List.of("First", "Second")) {
            StringBuilder toml = new StringBuilder("[[policy]]\nname = \"" + name + "\"\n[[policy.process]]\naction = \"block\"\nnames = [\"sh\"]\n");
            for (int i = 0; i < 40; i++) {
                toml.append("[[policy.network]]\naction = \"block\"\ncidrs = [\"10.0.1.").append(i).append("/32\"]\n");
            }
            policies.addAll(PolicyLoader.parse(FILE, toml.toString()));
        }
        BpfRules split = BpfRules.split(policies, EVERYTHING);
        assertThat(split.kernel().network()).hasSize(64);
        assertThat(split.refused()).hasSize(16).allMatch(r -> r.contains("of policy Second") && r.contains("64 network rules"));
        assertThat(split.fanotify()).as("both policies' process rules stay").hasSize(2);
    }

    private static BpfProbe everything() {
        Map<Mechanism, BpfProbe.Result> results = new EnumMap<>(Mechanism.class);
        for (Mechanism m : Mechanism.values()) {
            results.put(m, new BpfProbe.Result(true, "ok"));
        }
        return new BpfProbe(results);
    }
}
