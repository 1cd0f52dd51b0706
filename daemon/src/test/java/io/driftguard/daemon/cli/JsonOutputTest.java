package io.driftguard.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.CliWalk;
import io.driftguard.daemon.cli.CheckCommandsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} on every command that prints: the walk fails on a command added without it, and
 * what the commands print with it is JSON with snake_case keys, on bad input and on real work
 * against a config, a store and a daemon.json of the test's own (dockerd is never signalled).
 */
class JsonOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Runs in the foreground; its events on stdout are JSON lines already (README, Events). */
    private static final Set<String> PRINTS_NO_ANSWER = Set.of("daemon");

    @TempDir
    Path tmp;

    private static Run run(String... args) {
        return CheckCommandsTest.run(args);
    }

    private static JsonNode json(Run run) throws Exception {
        assertThat(CliWalk.jsonProblem(run.out())).as(run.toString()).isNull();
        assertThat(run.out().lines().count()).as(run.toString()).isEqualTo(1);
        return JSON.readTree(run.out());
    }

    @Test
    void everyCommandThatPrintsTakesJson() {
        assertThat(CliWalk.withoutJson(Main.commandLine(), PRINTS_NO_ANSWER)).isEmpty();
    }

    @Test
    void onBadInputEveryJsonCommandPrintsJsonOrNothing() {
        assertThat(CliWalk.notJson(Main.commandLine(), Main::execute, List.of(
                List.of("{positionals}"),
                List.of("--config", "/nonexistent/driftguard-test.toml", "{positionals}")))).isEmpty();
    }

    private Path config() throws Exception {
        Files.createDirectories(tmp.resolve("policies"));
        return Files.writeString(tmp.resolve("driftguard.toml"), """
                [policies]
                dir = "%s"
                [store]
                path = "%s"
                [daemon]
                control_socket = "%s"
                """.formatted(tmp.resolve("policies"), tmp.resolve("driftguard.db"), tmp.resolve("driftguard.sock")));
    }

    @Test
    void checksAnswerWithTheirCountsOrEveryProblem() throws Exception {
        Path config = config();
        Path policy = Files.writeString(tmp.resolve("policies/a.toml"), """
                [[policy]]
                name = "NoShells"
                [[policy.process]]
                action = "block"
                names = ["sh"]
                [policy.drift]
                action = "stop"
                """);
        JsonNode ok = json(run("policy", "check", "--json", policy.toString()));
        assertThat(ok.path("valid").asBoolean()).isTrue();
        assertThat(ok.path("policies").get(0).path("name").asText()).isEqualTo("NoShells");
        assertThat(ok.path("rules").path("process").asInt()).isEqualTo(1);
        assertThat(ok.path("rules").path("drift").asInt()).isEqualTo(1);

        Path bad = Files.writeString(tmp.resolve("bad.toml"), "[[policy]]\nname = \"x\"\n[[policy.process]]\nacton = \"block\"\n");
        Run refused = run("policy", "check", "--json", bad.toString());
        assertThat(refused.code()).isEqualTo(1);
        JsonNode problems = json(refused);
        assertThat(problems.path("valid").asBoolean()).isFalse();
        assertThat(problems.path("problems")).anyMatch(p -> p.path("line").asInt() == 4 && p.path("key").asText().endsWith("acton"));

        JsonNode checked = json(run("config", "check", "--json", "--config", config.toString()));
        assertThat(checked.path("valid").asBoolean()).isTrue();
        assertThat(checked.path("control_socket").asText()).isEqualTo(tmp.resolve("driftguard.sock").toString());
    }

    @Test
    void baselineLearnAndResetAnswerInJson() throws Exception {
        Path config = config();
        String image = "sha256:" + "ab".repeat(32);
        JsonNode learn = json(run("baseline", "learn", image, "--for", "1h", "--json", "--config", config.toString()));
        assertThat(learn.path("image_id").asText()).isEqualTo(image);
        assertThat(learn.path("learn_until").asText()).isNotEmpty();
        JsonNode reset = json(run("baseline", "reset", image, "--json", "--config", config.toString()));
        assertThat(reset.path("reset").asBoolean()).isTrue();
        assertThat(json(run("baseline", "show", image, "--json", "--config", config.toString())).path("image_id").asText())
                .isEqualTo(image);
    }

    @Test
    void dockerSetupAndUndoAnswerWithWhatTheyDidOrWhyNot() throws Exception {
        // No driftguard answers on the test's sockets: setup refuses before it writes; dockerd is never signalled.
        Path config = config();
        Path daemonJson = Files.writeString(tmp.resolve("daemon.json"), "{\"log-level\": \"info\"}\n");
        Path pidfile = tmp.resolve("no-docker.pid");
        String[] target = {"--json", "--config", config.toString(), "--daemon-json", daemonJson.toString(), "--pidfile", pidfile.toString()};
        Run setup = run(concat("docker", "setup", target));
        assertThat(setup.code()).isEqualTo(1);
        assertThat(json(setup).path("error").asText()).contains("does not answer");
        assertThat(Files.readString(daemonJson)).isEqualTo("{\"log-level\": \"info\"}\n");
        Run undo = run(concat("docker", "undo", target));
        assertThat(undo.code()).as(undo.toString()).isZero();
        assertThat(json(undo).path("result").asText()).isEqualTo("nothing to undo in " + daemonJson);
    }

    private static String[] concat(String a, String b, String... rest) {
        String[] all = new String[rest.length + 2];
        all[0] = a;
        all[1] = b;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
