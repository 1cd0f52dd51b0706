package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/driftguard-scan, the launcher the packages install, as a user starts it: which JIT it picks
 * for which command, and that a run it starts hashes blobs with NSS's softoken (libnss3, which
 * setup-host installs and the packages depend on).
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("../bin/driftguard-scan");
    private static final Path JAR = Path.of("target/driftguard-scan.jar");
    private static LocalRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start("");
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shortCommandsRunWithC1OnlyAndAScannerThatStaysUpKeepsC2() throws Exception {
        assertThat(tieredStopAtLevel(Map.of(), "--version")).isEqualTo("1");
        assertThat(tieredStopAtLevel(Map.of(), "run", "--once", "--help")).isEqualTo("1");
        assertThat(tieredStopAtLevel(Map.of(), "run", "--help")).as("run without --once stays up").isEqualTo("4");
        assertThat(tieredStopAtLevel(Map.of("DRIFTGUARD_SCAN_NSS", "off"), "--version"))
                .as("without NSS, C1 would hash ten times slower").isEqualTo("4");
    }

    @Test
    void aRunHashesBlobsWithNssAndFindsThemIntact() throws Exception {
        new TestPusher(registry.url()).push("team/app", "1.0", TestImage.random(7, 2, 1 << 20, "amd64"));
        Path config = dir.resolve("driftguard.toml");
        Files.writeString(config, "[store]\npath = \"driftguard.db\"\n[[registry]]\nurl = \"" + registry.url()
                + "\"\nrepositories = [\"team/app\"]\n");

        Launched run = launch(Map.of("DRIFTGUARD_SCAN_JAVA_OPTS", "-Xmx512m -Xlog:class+load=info:file=" + dir.resolve("classes.log")),
                "run", "--config", config.toString(), "--once", "--deep", "--json");

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).path("summary").path("registries").path(0).path("blobs_hashed").asInt())
                .as(run.toString()).isEqualTo(3);
        assertThat(run.err()).doesNotContain("could not be loaded");
        assertThat(Files.readString(dir.resolve("classes.log"))).as("the blobs' digests came from NSS")
                .contains("sun.security.pkcs11.P11Digest");
    }

    private String tieredStopAtLevel(Map<String, String> env, String... args) throws Exception {
        Map<String, String> withFlags = new HashMap<>(env);
        withFlags.put("DRIFTGUARD_SCAN_JAVA_OPTS", "-Xmx512m -XX:+PrintFlagsFinal");
        Launched launched = launch(withFlags, args);
        assertThat(launched.code()).as(launched.toString()).isZero();
        return launched.out().lines().filter(l -> l.matches("\\s*intx TieredStopAtLevel\\s+=.*"))
                .map(l -> l.replaceAll(".*=\\s*(\\d+).*", "$1")).findFirst().orElseThrow(() -> new AssertionError(launched));
    }

    private Launched launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Prerequisites.require(Files.isRegularFile(JAR), "the scanner's jar (mvn package) at " + JAR.toAbsolutePath());
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("DRIFTGUARD_SCAN_JAR", JAR.toAbsolutePath().toString());
        // No class data archive written beside the build's jar by a test.
        builder.environment().put("DRIFTGUARD_SCAN_CDS", "off");
        builder.environment().putAll(env);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bin/driftguard-scan " + String.join(" ", args) + " did not end in 2 minutes");
        }
        return new Launched(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Launched(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }
}
