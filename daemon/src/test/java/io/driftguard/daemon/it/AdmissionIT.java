package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.LocalRegistry;
import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The authorization plugin against a private dockerd started with
 * {@code --authorization-plugin=driftguard-RANDOM}, which finds the test daemon's plugin socket
 * at /run/docker/plugins/driftguard-RANDOM.sock (dockerd looks plugins up only there and in
 * /etc/docker/plugins, so a unique name keeps parallel tests apart).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionIT {
    private static final String IMAGE = DockerCli.IMAGE;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private DaemonFixture fixture;
    private String plugin;
    private Path dir;
    private Path appData;
    private PrivateEngine engine;
    private DockerCli docker;
    private DaemonProcess daemon;

    @BeforeAll
    void start() throws Exception {
        fixture = DaemonFixture.forPrivateEngine("dg-adm");
        plugin = fixture.plugin();
        dir = fixture.dir();
        daemon = fixture.daemon();
        appData = dir.resolve("app-data");
        Files.createDirectories(appData.resolve("sub"));
        Files.createSymbolicLink(appData.resolve("link-to-etc"), Path.of("/etc"));
        engine = fixture.launchEngine(true);
        docker = fixture.docker();
        fixture.policy("admission.toml", """
                [[policy]]
                name = "HostHygiene"
                match.labels = { admission = "%1$s" }
                [policy.admission]
                action = "deny"
                privileged = false
                host_namespaces = false
                capabilities = ["NET_BIND_SERVICE"]
                devices = false
                host_paths = ["%2$s"]
                latest_tag = false
                registries = ["docker.io"]

                [[policy]]
                name = "OnlyApproved"
                match.labels = { approved = "%1$s" }
                [policy.admission]
                action = "deny"
                approved_only = true

                [[policy]]
                name = "NoCritical"
                match.labels = { scanned = "%1$s" }
                [policy.admission]
                action = "deny"
                max_severity = "high"

                [[policy]]
                name = "CapsAudit"
                match.labels = { audit = "%1$s" }
                [policy.admission]
                action = "alert"
                capabilities = []
                """.formatted(tag, appData)).start();
    }

    @AfterAll
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private DockerCli.Result create(String... args) {
        List<String> command = new ArrayList<>(List.of("create", "--network", "none", "--label", "admission=" + tag));
        command.addAll(List.of(args));
        String name = "dg-adm-" + UUID.randomUUID().toString().substring(0, 8);
        command.addAll(List.of("--name", name));
        command.add(IMAGE);
        docker.track(name);
        return docker.docker(command.toArray(String[]::new));
    }

    private void assertDenied(DockerCli.Result result, String refused) {
        assertThat(result.exit()).as(result.all()).isNotZero();
        assertThat(result.err()).contains("authorization denied by plugin " + plugin)
                .contains("driftguard: policy HostHygiene denies " + refused);
    }

    @Test
    void eachRuleDeniesWithItsMessageAndAllowsWithinThePolicy() throws Exception {
        assertDenied(create("--privileged"), "--privileged");
        for (String ns : List.of("pid", "ipc", "uts", "userns")) {
            assertDenied(create("--" + ns, "host"), "--" + ns + "=host");
        }
        DockerCli.Result hostNet = docker.docker("create", "--network", "host", "--label", "admission=" + tag, IMAGE);
        assertThat(hostNet.err()).contains("denies --network=host");
        assertDenied(create("--cap-add", "SYS_ADMIN"), "--cap-add=CAP_SYS_ADMIN");
        assertDenied(create("--device", "/dev/null"), "--device=/dev/null");
        assertDenied(create("--device-cgroup-rule", "c 1:3 rwm"), "--device-cgroup-rule");
        assertDenied(create("-v", "/etc:/x"), "-v /etc:/x (host path /etc)");
        assertDenied(create("-v", appData.resolve("link-to-etc") + ":/x"), "-v " + appData.resolve("link-to-etc"));
        assertDenied(create("--mount", "type=bind,source=/etc,target=/y"), "--mount type=bind,source=/etc");
        assertDenied(create("--mount", "type=volume,target=/z,volume-driver=local,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc"),
                "--mount type=volume,volume-opt=device=/etc");
        String volume = "dg-adm-vol-" + tag;
        assertThat(docker.docker("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=/etc", volume).exit()).isZero();
        assertDenied(create("-v", volume + ":/v"), "volume " + volume + " (host path /etc)");
        docker.docker("volume", "rm", volume);
        assertDenied(create("--security-opt", "seccomp=unconfined"), "--security-opt seccomp=unconfined");
        assertDenied(create("--security-opt", "apparmor=unconfined"), "--security-opt apparmor=unconfined");
        assertDenied(create("--runtime", "other"), "--runtime=other");
        assertDenied(create("--runtime", "runc"), "--runtime=runc (only driftguard, whose start hook");
        assertDenied(create("--cgroup-parent", "/escape"), "--cgroup-parent=/escape");

        assertThat(docker.docker("tag", IMAGE, "driftguard-test/shell:latest").exit()).isZero();
        DockerCli.Result latest = docker.docker("create", "--network", "none", "--label", "admission=" + tag, "driftguard-test/shell");
        assertThat(latest.err()).contains("driftguard: policy HostHygiene denies the latest tag (driftguard-test/shell)");
        assertThat(docker.docker("tag", IMAGE, "registry.example.com/shell:1").exit()).isZero();
        DockerCli.Result registry = docker.docker("create", "--network", "none", "--label", "admission=" + tag,
                "registry.example.com/shell:1");
        assertThat(registry.err()).contains("driftguard: policy HostHygiene denies images from registry.example.com");

        DockerCli.Result allowed = create("--cap-add", "NET_BIND_SERVICE", "-v", appData.resolve("sub") + ":/data");
        assertThat(allowed.exit()).as(allowed.all()).isZero();
        DockerCli.Result unselected = docker.docker("create", "--network", "none", "--cap-add", "SYS_ADMIN", IMAGE);
        assertThat(unselected.exit()).as("a container no admission policy selects").isZero();
        docker.docker("rm", "-f", unselected.out().trim());
        assertThat(daemon.output()).contains("\"kind\":\"admission\"").contains("policy HostHygiene denies --privileged");
    }

    @Test
    void execUpdateAndCopyIntoASelectedContainerAreJudged() throws Exception {
        String name = "dg-adm-run-" + tag;
        docker.track(name);
        DockerCli.Result run = docker.docker("run", "-d", "--network", "none", "--user", "1000", "--label", "admission=" + tag,
                "--name", name, IMAGE);
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(docker.execIn(name, "true").exit()).as("a plain exec").isZero();
        assertDenied(docker.docker("exec", "--privileged", name, "true"), "docker exec --privileged");
        assertDenied(docker.docker("exec", "--user", "0", name, "true"), "docker exec --user 0");
        assertDenied(docker.docker("update", "--memory", "64m", name), "docker update");
        Path file = dir.resolve("copied.txt");
        Files.writeString(file, "x");
        assertDenied(docker.docker("cp", file.toString(), name + ":/tmp/"), "docker cp into the container");
        assertThat(docker.docker("cp", name + ":/etc/hostname", dir.resolve("out").toString()).exit())
                .as("copying out is a read").isZero();
    }

    @Test
    void requestsThatCannotBeJudgedAreDenied() throws Exception {
        String host = engine.host();
        byte[] privileged = ("{\"Image\":\"" + IMAGE + "\",\"Labels\":{\"admission\":\"" + tag + "\"},"
                + "\"HostConfig\":{\"Privileged\":true}}").getBytes(StandardCharsets.UTF_8);
        assertRefused(RawDocker.send(host, "POST", "/v1.41/containers/create", "text/plain", privileged), "did not reach the plugin");
        StringBuilder big = new StringBuilder("{\"Image\":\"" + IMAGE + "\",\"Labels\":{\"admission\":\"" + tag
                + "\"},\"HostConfig\":{\"Privileged\":true},\"Env\":[\"PAD=");
        big.append("a".repeat(1 << 20)).append("\"]}");
        assertRefused(RawDocker.send(host, "POST", "/v1.41/containers/create", "application/json",
                big.toString().getBytes(StandardCharsets.UTF_8)), "did not reach the plugin");
        assertRefused(RawDocker.send(host, "POST", "/v1.41/containers/create", "application/json; charset=utf-8", privileged),
                "driftguard: ");
        byte[] duplicate = ("{\"Image\":\"" + IMAGE + "\",\"Labels\":{\"admission\":\"" + tag + "\"},"
                + "\"HostConfig\":{\"Privileged\":false,\"Privileged\":true}}").getBytes(StandardCharsets.UTF_8);
        assertRefused(RawDocker.send(host, "POST", "/v1.41/containers/create", "application/json", duplicate), "Duplicate field");
        byte[] cased = ("{\"Image\":\"" + IMAGE + "\",\"Labels\":{\"admission\":\"" + tag + "\"},"
                + "\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}").getBytes(StandardCharsets.UTF_8);
        assertRefused(RawDocker.send(host, "POST", "/v1.41/containers/create", "application/json", cased), "regardless of case");
        byte[] lower = ("{\"Image\":\"" + IMAGE + "\",\"Labels\":{\"admission\":\"" + tag + "\"},"
                + "\"hostconfig\":{\"privileged\":true}}").getBytes(StandardCharsets.UTF_8);
        assertRefused(RawDocker.send(host, "POST", "/v1.41/containers/create", "application/json", lower), "denies --privileged");
        assertRefused(RawDocker.send(host, "POST", "/v1.41/contain%65rs/create", "application/json", privileged), "denies --privileged");
        assertRefused(RawDocker.send(host, "POST", "/v1.23/containers/anything/start", "application/json",
                "{\"Privileged\":true}".getBytes(StandardCharsets.UTF_8)), "API v1.23 is older than 1.24");
        for (String read : List.of("/containers/json", "/info", "/version", "/_ping", "/v1.41/images/json")) {
            assertThat(RawDocker.send(host, "GET", read, null, null).status()).as(read).isEqualTo(200);
        }
        assertThat(daemon.status().path("admission").path("unjudgeable").asLong()).isGreaterThanOrEqualTo(5);
    }

    private static void assertRefused(RawDocker.Answer answer, String reason) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(403);
        assertThat(answer.text()).contains("authorization denied by plugin").contains(reason);
    }

    @Test
    void aReplacedContainerIsConfigurationDriftNamingBothImages() throws Exception {
        String name = "dg-adm-replaced-" + tag;
        docker.track(name);
        assertThat(docker.docker("tag", IMAGE, "driftguard-test/shell:replaced-a").exit()).isZero();
        assertThat(docker.docker("tag", IMAGE, "driftguard-test/shell:replaced-b").exit()).isZero();
        assertThat(docker.docker("create", "--network", "none", "--name", name, "driftguard-test/shell:replaced-a").exit()).isZero();
        docker.remove(name);
        docker.track(name);
        assertThat(docker.docker("create", "--network", "none", "--name", name, "--cap-add", "NET_ADMIN",
                "driftguard-test/shell:replaced-b").exit()).isZero();
        daemon.awaitOutput("Image changed from 'driftguard-test/shell:replaced-a'");
        assertThat(daemon.output()).contains("to 'driftguard-test/shell:replaced-b'").contains("\"finding\":\"configuration_drift\"")
                .contains("capabilities [] -> [CAP_NET_ADMIN]");

        String project = "dg-adm-" + tag;
        List<String> compose = List.of("--label", "com.docker.compose.project=" + project, "--label", "com.docker.compose.service=web",
                "--label", "admission=" + tag);
        String first = project + "-web-1";
        docker.track(first);
        List<String> args = new ArrayList<>(List.of("create", "--network", "none", "--name", first));
        args.addAll(compose);
        args.add(IMAGE);
        assertThat(docker.docker(args.toArray(String[]::new)).exit()).isZero();
        List<String> privileged = new ArrayList<>(List.of("create", "--network", "none", "--privileged", "--name", "abc_" + first));
        privileged.addAll(compose);
        privileged.add(IMAGE);
        DockerCli.Result refused = docker.docker(privileged.toArray(String[]::new));
        assertThat(refused.err()).contains("denies --privileged");
        daemon.awaitOutput("Configuration drift of container abc_" + first + " (the change is refused): privileged false -> true");
    }

    @Test
    void approvedOnlyFollowsTheScannersApprovals() throws Exception {
        Prerequisites.requireCommand("docker-registry");
        try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
            String ref = registry.host() + "/dg/app:v1";
            assertThat(docker.docker("tag", IMAGE, ref).exit()).isZero();
            assertThat(docker.docker("push", ref).exit()).isZero();
            Path scanConfig = dir.resolve("scan.toml");
            Files.writeString(scanConfig, "[store]\npath = \"" + daemon.dir().resolve("state/driftguard.db") + "\"\n\n"
                    + "[[registry]]\nurl = \"http://" + registry.host() + "\"\n");
            DockerCli.Result unapproved = docker.docker("create", "--network", "none", "--label", "approved=" + tag, ref);
            assertThat(unapproved.err()).contains("driftguard: policy OnlyApproved denies an unapproved image (" + ref);
            // The scan records the tag's digest; its exit code also counts image findings, which do not matter here.
            DockerCli.Result scan = ScannerCli.run(scanConfig, "run", "--once");
            assertThat(scan.exit()).as(scan.all()).isZero();
            DockerCli.Result approve = ScannerCli.run(scanConfig, "approve", ref);
            assertThat(approve.exit()).as(approve.all()).isZero();
            String first = "dg-adm-approved-" + tag;
            docker.track(first);
            DockerCli.Result allowed = docker.docker("create", "--network", "none", "--label", "approved=" + tag, "--name", first, ref);
            assertThat(allowed.exit()).as(allowed.all()).isZero();

            // Re-push other bytes to the same tag and pull: denied until approved again.
            String builder = "dg-adm-builder-" + tag;
            docker.track(builder);
            assertThat(docker.docker("run", "--network", "none", "--name", builder, IMAGE, "sh", "-c", "echo changed > /changed").exit()).isZero();
            assertThat(docker.docker("commit", builder, ref).exit()).isZero();
            assertThat(docker.docker("push", ref).exit()).isZero();
            assertThat(docker.docker("pull", ref).exit()).isZero();
            DockerCli.Result denied = docker.docker("create", "--network", "none", "--label", "approved=" + tag, ref);
            assertThat(denied.err()).contains("driftguard: policy OnlyApproved denies an unapproved image");
            DockerCli.Result moved = ScannerCli.run(scanConfig, "run", "--once");
            assertThat(moved.exit()).as("drift: %s", moved.all()).isEqualTo(1);
            assertThat(ScannerCli.run(scanConfig, "approve", ref).exit()).isZero();
            String second = "dg-adm-approved2-" + tag;
            docker.track(second);
            DockerCli.Result again = docker.docker("create", "--network", "none", "--label", "approved=" + tag, "--name", second, ref);
            assertThat(again.exit()).as(again.all()).isZero();

            DockerCli.Result local = docker.docker("create", "--network", "none", "--label", "approved=" + tag, IMAGE);
            assertThat(local.err()).contains("has no registry digest");
        }
    }

    /**
     * max_severity reads the latest scan of the image the engine has, by image id: a local image
     * scanned through the engine's API (docker:NAME) counts, an unscanned one is denied.
     */
    @Test
    void maxSeverityDeniesUnscannedAndVulnerableImages() throws Exception {
        Path scanConfig = dir.resolve("severity-scan.toml");
        Files.writeString(scanConfig, "[store]\npath = \"" + daemon.dir().resolve("state/driftguard.db") + "\"\n");
        Path osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("ALPINE-CVE-2099-0900.json"), """
                {"schema_version": "1.6.0", "id": "ALPINE-CVE-2099-0900", "aliases": ["CVE-2099-0900"],
                 "modified": "2026-11-30T10:00:00Z", "summary": "test advisory",
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "Alpine:v3.19", "name": "dgtest"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2-r0"}]}]}]}
                """);
        assertThat(ScannerCli.run(scanConfig, "db", "import", osv.toString()).exit()).isZero();

        // An image of its own: other tests of the class scan IMAGE, and results are kept by image id.
        String fresh = "dg-adm-fresh-" + tag + ":1";
        String freshBuilder = "dg-adm-fbuild-" + tag;
        docker.track(freshBuilder);
        assertThat(docker.docker("create", "--network", "none", "--name", freshBuilder, IMAGE).exit()).isZero();
        assertThat(docker.docker("commit", "--change", "LABEL driftguard.test=" + tag, freshBuilder, fresh).exit()).isZero();
        DockerCli.Result unscanned = docker.docker("create", "--network", "none", "--label", "scanned=" + tag, fresh);
        assertThat(unscanned.err()).as(unscanned.all())
                .contains("driftguard: policy NoCritical denies an unscanned image (" + fresh + " has no driftguard-scan result");

        DockerCli.Result clean = ScannerCli.run(scanConfig, "image", "--docker-host", engine.host(), "--json", "docker:" + fresh);
        assertThat(clean.exit()).as(clean.all()).isBetween(0, 1);
        String allowedName = "dg-adm-scanned-" + tag;
        docker.track(allowedName);
        DockerCli.Result allowed = docker.docker("create", "--network", "none", "--label", "scanned=" + tag, "--name", allowedName, fresh);
        assertThat(allowed.exit()).as(allowed.all()).isZero();

        // The same image with an Alpine package database holding a package the advisory affects.
        Path root = Files.createDirectories(dir.resolve("vuln-root/lib/apk/db"));
        Files.writeString(root.resolve("installed"), "P:dgtest\nV:1.1-r0\no:dgtest\nA:x86_64\n\n");
        Files.createDirectories(dir.resolve("vuln-root/etc"));
        Files.writeString(dir.resolve("vuln-root/etc/os-release"), "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n");
        String builder = "dg-adm-vbuild-" + tag;
        docker.track(builder);
        String vulnerable = "dg-adm-vuln-" + tag + ":1";
        assertThat(docker.docker("create", "--network", "none", "--name", builder, IMAGE).exit()).isZero();
        assertThat(docker.docker("cp", dir.resolve("vuln-root").toString() + "/.", builder + ":/").exit()).isZero();
        assertThat(docker.docker("commit", builder, vulnerable).exit()).isZero();
        DockerCli.Result scan = ScannerCli.run(scanConfig, "image", "--docker-host", engine.host(), "--json", vulnerable);
        assertThat(scan.out()).as(scan.all()).contains("CVE-2099-0900").contains("\"critical\"");
        DockerCli.Result denied = docker.docker("create", "--network", "none", "--label", "scanned=" + tag, vulnerable);
        assertThat(denied.err()).as(denied.all()).contains("driftguard: policy NoCritical denies an image with critical vulnerabilities ("
                + vulnerable);
        daemon.awaitOutput("policy NoCritical denies an image with critical vulnerabilities");
    }

    @Test
    void runningContainersAreReportedAtStartAndRequestsDuringARestartAreCounted() throws Exception {
        String name = "dg-adm-audit-" + tag;
        docker.track(name);
        DockerCli.Result run = docker.docker("run", "-d", "--network", "none", "--cap-add", "NET_ADMIN", "--label", "audit=" + tag,
                "--name", name, IMAGE);
        assertThat(run.exit()).as("alert only: %s", run.all()).isZero();

        AtomicBoolean looping = new AtomicBoolean(true);
        AtomicInteger total = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Long> slowest = new ArrayList<>();
        Thread loop = new Thread(() -> {
            while (looping.get()) {
                long start = System.nanoTime();
                DockerCli.Result ps = docker.docker("ps", "-q");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                total.incrementAndGet();
                if (ps.exit() != 0) {
                    failed.incrementAndGet();
                }
                synchronized (slowest) {
                    slowest.add(millis);
                }
            }
        });
        loop.start();
        Thread.sleep(1000);
        assertThat(daemon.stop()).isZero();
        daemon.start();
        Thread.sleep(1000);
        looping.set(false);
        loop.join();
        long max = slowest.stream().mapToLong(Long::longValue).max().orElse(0);
        System.out.println("AdmissionIT restart: " + failed.get() + " of " + total.get() + " docker ps failed while the daemon"
                + " restarted; slowest " + max + " ms");
        assertThat(docker.docker("ps").exit()).as("requests pass again after the restart").isZero();
        daemon.awaitOutput("running container " + name + " breaks policy CapsAudit: --cap-add=CAP_NET_ADMIN");
        assertThat(daemon.output()).contains("\"when\":\"start\"");
    }
}
