package io.driftguard.daemon.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * driftguard-runtime's config.json rewrite on {@code create}, run as Docker's shim runs it (with
 * /bin/true as runc): the hook is added beside Docker's own hooks and nothing else changes; what
 * it cannot read safely is refused and left as it was. Fuzzed with byte mutations of a real
 * Docker 20.10 config.json: whatever it accepts was valid JSON and comes out as that JSON plus the hook.
 */
class RuntimeWrapperTest {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Path WRAPPER = Path.of("target/native/driftguard-runtime").toAbsolutePath();

    @TempDir
    Path bundle;
    /** Holds the hook socket's path and so the fallback records of refused creates. */
    @TempDir
    Path state;

    @Test
    void dockersRealConfigGetsTheHookBesideItsOwnAndNothingElseChanges() throws Exception {
        byte[] real = realConfig();
        assertThat(create(real, "create", "--bundle", bundle.toString(), "id")).isZero();
        JsonNode out = JSON.readTree(Files.readAllBytes(bundle.resolve("config.json")));
        JsonNode hook = out.path("hooks").path("createRuntime").get(0);
        assertThat(hook.path("path").asText()).isEqualTo(WRAPPER.toString());
        assertThat(hook.path("args").toString()).isEqualTo("[\"driftguard-hook\",\"--socket=" + state.resolve("hook.sock") + "\","
                + "\"--fail=closed\",\"--timeout=5000\"]");
        assertThat(out.path("hooks").path("prestart")).hasSize(1);
        assertThat(withoutHook(out)).isEqualTo(JSON.readTree(real));
        // A second create on the same bundle adds nothing.
        assertThat(run("create", "-b", bundle.toString(), "id")).isZero();
        assertThat(JSON.readTree(Files.readAllBytes(bundle.resolve("config.json")))).isEqualTo(out);
    }

    @Test
    void otherSubcommandsLeaveTheBundleAlone() throws Exception {
        byte[] real = realConfig();
        for (List<String> args : List.of(List.of("start", "id"), List.of("--root", "create", "exec", "--pid-file", "p", "id"),
                List.of("--log", "/dev/null", "state", "id"))) {
            Files.write(bundle.resolve("config.json"), real);
            assertThat(runIn(bundle, args.toArray(String[]::new))).isZero();
            assertThat(Files.readAllBytes(bundle.resolve("config.json"))).isEqualTo(real);
        }
    }

    @Test
    void namesRuncsDecoderWouldFoldAreRefused() throws Exception {
        for (String config : List.of("{\"Hooks\":{}}", "{\"hooks\":{},\"hooks\":{}}", "{\"hooks\":{\"createruntime\":[]}}",
                "{\"ho\\u006fks\":{}}", "{\"hoo\u212As\":{}}", "{\"hooks\":[]}", "[]", "{\"a\":1} x", "")) {
            byte[] bytes = config.getBytes(StandardCharsets.UTF_8);
            assertThat(create(bytes, "create", "--bundle=" + bundle, "id")).as(config).isEqualTo(1);
            assertThat(Files.readAllBytes(bundle.resolve("config.json"))).as(config).isEqualTo(bytes);
        }
        try (var records = Files.list(state.resolve("hook.sock.fallbacks"))) {
            List<Path> all = records.toList();
            assertThat(all).as("a fallback record for each refused create").hasSize(9);
            assertThat(Files.readString(all.get(0))).contains("\"id\":\"id\"", "\"fail\":\"closed\"", "not JSON this wrapper can safely add a hook to");
        }
    }

    @Test
    void mutatedConfigsAreEitherRefusedUnchangedOrGetExactlyTheHook() throws Exception {
        byte[] real = realConfig();
        Random random = new Random(10);
        String alphabet = "{}[]\":,\\ u0aZ-.e";
        int accepted = 0;
        for (int i = 0; i < 300; i++) {
            byte[] mutated = Arrays.copyOf(real, real.length);
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                mutated[random.nextInt(mutated.length)] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            int exit = create(mutated, "create", "--bundle", bundle.toString(), "id");
            byte[] after = Files.readAllBytes(bundle.resolve("config.json"));
            if (exit != 0) {
                assertThat(after).isEqualTo(mutated);
                continue;
            }
            accepted++;
            JsonNode input = JSON.readTree(mutated); // throws, failing the test, if it accepted invalid JSON
            assertThat(withoutHook(JSON.readTree(after))).isEqualTo(input);
        }
        assertThat(accepted).as("some mutations keep the JSON valid").isPositive();
    }

    /** The output without the entry the wrapper added (and without what it made to hold it). */
    private static JsonNode withoutHook(JsonNode out) {
        ObjectNode copy = out.deepCopy();
        ObjectNode hooks = (ObjectNode) copy.get("hooks");
        ArrayNode runtime = (ArrayNode) hooks.get("createRuntime");
        runtime.remove(0);
        if (runtime.isEmpty()) {
            hooks.remove("createRuntime");
        }
        if (hooks.isEmpty()) {
            copy.remove("hooks");
        }
        return copy;
    }

    private int create(byte[] config, String... args) throws IOException, InterruptedException {
        Files.write(bundle.resolve("config.json"), config);
        return run(args);
    }

    private int run(String... args) throws IOException, InterruptedException {
        return runIn(Path.of("."), args);
    }

    private int runIn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(WRAPPER.toString(), "--driftguard-runc=/bin/true",
                "--driftguard-socket=" + state.resolve("hook.sock")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static byte[] realConfig() throws IOException {
        try (var in = RuntimeWrapperTest.class.getResourceAsStream("docker-config.json")) {
            return in.readAllBytes();
        }
    }
}
