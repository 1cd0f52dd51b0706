package io.driftguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.LocalRegistry;
import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb as a user meets it: installed with apt in Debian 12 with systemd as PID 1, started,
 * reloaded, stopped, removed and purged, while it watches the host's Docker and enforces in
 * a container there; and its scanner unit run against a registry on the host. The steps build on
 * each other, so they run in order in one container.
 *
 * <p>Three things differ from a fresh host, all set up before installing, for the sake of the
 * other tests that share this host's Docker: dpkg leaves out the example policies (they select
 * app=my-secure-app, a label other tests use) and the test's own policy selects only this run's
 * container; docker.io's own daemon is masked, since the host's Docker serves through the mounted
 * socket; and a drop-in gives the unit the host's /proc, where the host's containers' processes
 * are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class DebInSystemdIT {
    private static final String IMAGE = "driftguard-test/debian12-systemd:1";
    private static final String SHELL_IMAGE = "driftguard-test/shell:1";
    private static final String WEB_IMAGE = "driftguard-test/web:1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A config User that is uid 0, with lines that would be journal fields and a terminal escape. */
    private static final String HOSTILE_USER = "0:0\nPRIORITY=7\nDRIFTGUARD_SEVERITY=info\u001b[2J";

    @TempDir
    static Path work;

    private final String run = "dg-pkg-" + UUID.randomUUID().toString().substring(0, 8);
    private final String target = run + "-target";
    private final String policyName = "PackagingTestBlockShells";
    private Path deb;
    private SystemdContainer box;
    private LocalRegistry registry;
    private String mainPid;
    private long startedAt;

    @BeforeAll
    void boot() {
        Prerequisites.requireImage(IMAGE);
        Prerequisites.requireImage(SHELL_IMAGE);
        deb = Path.of(System.getProperty("driftguard.deb"));
        assertThat(deb).as("the package built by this module").isRegularFile();
        box = SystemdContainer.boot(IMAGE, run, deb.getParent());
    }

    @AfterAll
    void cleanUp() throws InterruptedException {
        Command.run(Duration.ofMinutes(1), List.of("docker", "rm", "-f", "-v", target));
        if (box != null) {
            box.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void aptInstallsItWithDependenciesFromDebian() {
        String policy = """
                [[policy]]
                name = "%s"
                mode = "enforce"
                match.labels = { "driftguard.test.run" = "%s" }

                [[policy.process]]
                action = "block"
                names = ["bash"]                  # Debian's bash; sh, seq and nc are busybox

                [[policy.process]]
                action = "kill"
                names = ["seq"]

                [[policy.network]]
                action = "block"
                cidrs = ["127.0.0.2/32"]
                protocols = ["tcp"]
                """.formatted(policyName, run);
        Command.Result setUp = box.sh("""
                set -e
                systemctl mask docker.service docker.socket containerd.service
                echo 'path-exclude=/etc/driftguard/policies.d/*' > /etc/dpkg/dpkg.cfg.d/driftguard-test
                mkdir -p /etc/driftguard/policies.d /etc/systemd/system/driftguard.service.d
                cat > /etc/driftguard/policies.d/50-packaging-test.toml <<'EOF'
                %sEOF
                printf '[Service]\\nBindReadOnlyPaths=/host/proc:/proc\\n' > /etc/systemd/system/driftguard.service.d/host-proc.conf
                """.formatted(policy));
        assertThat(setUp.ok()).as("%s", setUp).isTrue();

        Command.Result install = box.aptInstall("/pkg/" + deb.getFileName());
        assertThat(install.ok()).as("%s", install).isTrue();
        Command.Result installed = box.sh(
                "dpkg-query -W -f='${Package} ${Status}\\n' driftguard openjdk-17-jre-headless libbpf1 libnss3 docker.io");
        assertThat(installed.output().lines())
                .as("%s", installed)
                .containsExactlyInAnyOrder("driftguard install ok installed", "openjdk-17-jre-headless install ok installed",
                        "libbpf1 install ok installed", "libnss3 install ok installed", "docker.io install ok installed");
        assertThat(box.sh("systemctl is-enabled driftguard").output().strip()).isEqualTo("enabled");
        assertThat(box.sh("systemctl is-active driftguard").output().strip()).isEqualTo("active");
        // Enabled on its own: at boot the plugin socket must exist before docker.service starts.
        assertThat(box.sh("systemctl is-enabled driftguard-authz.socket").output().strip()).isEqualTo("enabled");
        assertThat(box.sh("systemctl is-active driftguard-authz.socket").output().strip()).isEqualTo("active");
        assertThat(box.sh("test -S /run/docker/plugins/driftguard.sock && echo socket").output()).contains("socket");
    }

    @Test
    @Order(2)
    void layoutConffilesManPageAndVerifiedUnits() throws IOException {
        Command.Result layout = box.sh("""
                set -e
                stat -c '%%a %%U' /var/lib/driftguard
                test -x /usr/bin/driftguard
                test -f /usr/share/driftguard/driftguard.jar
                test -f /lib/systemd/system/driftguard.service
                test -f /usr/share/doc/driftguard/README.md
                # Every installed program answers --help and has a man page.
                for program in $(dpkg -L driftguard | grep '^/usr/bin/'); do
                  "$program" --help >/dev/null
                  man -w "$(basename "$program")"
                done
                driftguard --help | head -1
                dpkg-deb -I /pkg/%s conffiles
                """.formatted(deb.getFileName()));
        assertThat(layout.ok()).as("%s", layout).isTrue();
        assertThat(layout.output())
                .startsWith("700 root\n")
                .contains("/usr/share/man/man8/driftguard.8.gz", "Usage: driftguard",
                        "\n/etc/driftguard/driftguard.toml\n", "\n/etc/driftguard/policies.d/10-block-shells.toml\n");
        Path repo = Path.of(System.getenv("DRIFTGUARD_REPO"));
        assertThat(box.sh("cat /etc/driftguard/driftguard.toml").output())
                .isEqualTo(Files.readString(repo.resolve("conf/driftguard.toml")));

        Command.Result verify = box.sh("systemd-analyze verify $(dpkg -L driftguard | grep -E '\\.(service|timer)$')");
        assertThat(verify.ok()).as("%s", verify).isTrue();
        assertThat(verify.output()).as("systemd-analyze verify says nothing about our units").isEmpty();
    }

    @Test
    @Order(3)
    void startReturnsOnceReadyAndReportsStatus() {
        Command.Result restart = box.sh(Duration.ofMinutes(3), "systemctl stop driftguard && systemctl start driftguard");
        assertThat(restart.ok()).as("%s", restart).isTrue();
        // Type=notify: `systemctl start` returned, so READY=1 arrived; the daemon sends it only
        // after its first sync with Docker.
        assertThat(box.sh("systemctl show -p Type -p ActiveState -p SubState -p StatusText driftguard").output())
                .contains("Type=notify\n", "ActiveState=active\n", "SubState=running\n")
                .containsPattern("StatusText=.*containers attached");
        assertThat(box.sh("systemctl status driftguard --no-pager").output()).contains("active (running)");
        mainPid = box.sh("systemctl show -p MainPID --value driftguard").output().strip();
        startedAt = System.nanoTime();
        // The JVM that runs is sized by /usr/bin/driftguard (bench/NOTES-memory.md): its options
        // reach the process systemd supervises, which is the JVM itself (exec, no shell between).
        List<String> cmdline = List.of(box.sh("tr '\\0' '\\n' < /proc/" + mainPid + "/cmdline").output().split("\n"));
        assertThat(cmdline).as("daemon command line").startsWith("java").containsSubsequence(
                "-XX:+UseSerialGC", "-Xms8m", "-Xmx128m", "-Xmn2m", "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                "-Xshare:auto", "-jar", "/usr/share/driftguard/driftguard.jar", "daemon", "--config", "/etc/driftguard/driftguard.toml");
        // The first start wrote its class archive when the stop above ended it; this start maps it.
        assertThat(cmdline).as("daemon command line").contains("-XX:SharedArchiveFile=/var/cache/driftguard/driftguard-daemon.jsa");
        assertThat(box.sh("tr '\\0' '\\n' < /proc/" + mainPid + "/environ").output()).contains("MALLOC_ARENA_MAX=1\n");
    }

    @Test
    @Order(4)
    void journalHasTheStartupEventWithItsFields() {
        JsonNode started = awaitJournal("driftguard", "DRIFTGUARD_KIND=daemon",
                entry -> text(entry, "MESSAGE").startsWith("driftguard started"));
        assertThat(text(started, "SYSLOG_IDENTIFIER")).isEqualTo("driftguard");
        assertThat(text(started, "_SYSTEMD_UNIT")).isEqualTo("driftguard.service");
        assertThat(text(started, "PRIORITY")).isEqualTo("6");
        assertThat(text(started, "DRIFTGUARD_ACTION")).isNotEmpty();
        assertThat(text(started, "DRIFTGUARD_SEVERITY")).isNotEmpty();
        assertThat(parse(text(started, "DRIFTGUARD_EVENT")).path("kind").asText()).isEqualTo("daemon");
    }

    @Test
    @Order(5)
    void enforcesInASelectedContainerUnderTheUnit() {
        startTarget();
        Command.Result shell = exec(target, "bash", "-c", "true");
        assertThat(shell.ok()).as("a shell in %s must be blocked: %s", target, shell).isFalse();
        assertThat(shell.output()).containsIgnoringCase("not permitted");
        Command.Result cat = exec(target, "cat", "/etc/hostname");
        assertThat(cat.ok()).as("cat is not a shell: %s", cat).isTrue();

        JsonNode blocked = awaitJournal("driftguard", "DRIFTGUARD_ACTION=blocked",
                entry -> text(entry, "DRIFTGUARD_CONTAINER_NAME").equals(target));
        assertThat(text(blocked, "DRIFTGUARD_POLICY")).isEqualTo(policyName);
        assertThat(text(blocked, "DRIFTGUARD_KIND")).isEqualTo("process");

        // The eBPF rules too: the unit's sandbox leaves the daemon able to load and attach them.
        Command.Result seq = exec(target, "seq", "1");
        assertThat(seq.exitCode()).as("seq is killed on exec: %s", seq).isEqualTo(137);
        Command.Result connect = connectToSecondLoopback();
        assertThat(connect.ok()).isFalse();
        assertThat(connect.output()).as("connect is refused by the cgroup program").containsIgnoringCase("not permitted");
    }

    @Test
    @Order(6)
    void reloadReadsThePoliciesAgain() {
        long before = journalClock();
        Command.Result reload = box.sh("systemctl reload driftguard");
        assertThat(reload.ok()).as("%s", reload).isTrue();
        awaitJournal("driftguard", "DRIFTGUARD_KIND=daemon",
                entry -> loggedAfter(entry, before) && text(entry, "MESSAGE").startsWith("Policies reloaded"));
        assertThat(box.sh("systemctl is-active driftguard").output().strip()).isEqualTo("active");
    }

    @Test
    @Order(7)
    void reloadWithABrokenPolicyKeepsTheRunningSetAndSaysWhy() {
        long before = journalClock();
        Command.Result reload = box.sh("""
                printf '[[policy]]\\nname = 3\\n' > /etc/driftguard/policies.d/20-broken.toml
                systemctl reload driftguard
                """);
        assertThat(reload.ok()).as("%s", reload).isTrue();
        JsonNode refused = awaitJournal("driftguard", "DRIFTGUARD_KIND=daemon",
                entry -> loggedAfter(entry, before) && text(entry, "MESSAGE").startsWith("Policy reload failed"));
        assertThat(text(refused, "MESSAGE")).contains("keeping the 1 running policies", "20-broken.toml");
        assertThat(text(refused, "DRIFTGUARD_ACTION")).isEqualTo("alerted");
        assertThat(box.sh("systemctl is-active driftguard").output().strip()).isEqualTo("active");
        assertThat(exec(target, "bash", "-c", "true").ok()).as("the old policy still blocks").isFalse();
        assertThat(box.sh("rm /etc/driftguard/policies.d/20-broken.toml").ok()).isTrue();
    }

    @Test
    @Order(8)
    void stopIsCleanAndReleasesTheContainer() {
        // Longer than WatchdogSec=5s since the start in step 3, and the same process: the
        // daemon kept the watchdog fed.
        Duration watched = Duration.ofSeconds(35).minusNanos(System.nanoTime() - startedAt);
        if (!watched.isNegative()) {
            SystemdContainer.sleep(watched);
        }
        assertThat(box.sh("systemctl show -p WatchdogUSec -p NRestarts -p MainPID driftguard").output())
                .contains("WatchdogUSec=5s\n", "NRestarts=0\n", "MainPID=" + mainPid + "\n");
        Command.Result stop = box.sh("systemctl stop driftguard");
        assertThat(stop.ok()).as("%s", stop).isTrue();
        assertThat(box.sh("systemctl show -p ActiveState -p Result driftguard").output())
                .contains("ActiveState=inactive\n", "Result=success\n");
        Command.Result shell = exec(target, "bash", "-c", "true");
        assertThat(shell.ok()).as("no enforcement left after stop: %s", shell).isTrue();
        assertThat(exec(target, "seq", "1").ok()).as("no kill rule left after stop").isTrue();
        assertThat(connectToSecondLoopback().output()).as("no cgroup program left after stop")
                .containsIgnoringCase("refused");
    }

    /** Nothing listens there in the target's own network namespace: "refused" unless blocked. */
    private Command.Result connectToSecondLoopback() {
        return exec(target, "nc", "-w", "2", "127.0.0.2", "9");
    }

    /**
     * bench/faults.sh under the unit: SIGKILL (systemd restarts the daemon, which adopts the
     * pinned eBPF rules and the fanotify groups of the fd store) and SIGSTOP (the watchdog ends
     * it) while a container loops over a blocked exec and a blocked connect: nothing gets
     * through, and `systemctl stop` leaves nothing behind. The daemon is started again after.
     */
    @Test
    @Order(9)
    void crashAndStallLetNothingThroughAndStopLeavesNothing() {
        box.copyIn(Path.of("").toAbsolutePath().getParent().resolve("bench/faults.sh"), "/root/faults.sh");
        Command.Result faults = box.sh(Duration.ofMinutes(6), "bash /root/faults.sh --systemd driftguard --stall 8");
        String out = faults.output();
        System.out.println(out); // the figures, for bench/NOTES-faults.md
        assertThat(faults.ok()).as("%s", faults).isTrue();
        assertThat(out.lines().filter(l -> l.startsWith("SIGKILL")).findFirst().orElse(""))
                .as(out).containsPattern("through +0 \\| connects +\\d+ through +0 ");
        assertThat(out.lines().filter(l -> l.startsWith("SIGSTOP")).findFirst().orElse(""))
                .as(out).containsPattern("through +0 \\| connects +\\d+ through +0 ");
        assertThat(out).as(out).contains("faults: through=0 leaked=0");
        assertThat(box.sh("systemctl start driftguard").ok()).isTrue();
    }

    @Test
    @Order(10)
    void upgradeKeepsTheAdministratorsConfigAndRestarts() {
        assertThat(box.sh("echo '# changed by the administrator' >> /etc/driftguard/driftguard.toml").ok()).isTrue();
        // Installing the same version again runs postinst as an upgrade does (configure OLD_VERSION).
        Command.Result upgrade = box.sh(Duration.ofMinutes(3), "dpkg -i /pkg/" + deb.getFileName());
        assertThat(upgrade.ok()).as("%s", upgrade).isTrue();
        assertThat(box.sh("cat /etc/driftguard/driftguard.toml").output()).endsWith("# changed by the administrator\n");
        assertThat(box.sh("systemctl is-active driftguard").output().strip()).isEqualTo("active");
    }

    @Test
    @Order(11)
    void scannerTimerIsListed() {
        assertThat(box.sh("dpkg -L driftguard").output()).contains("/lib/systemd/system/driftguard-scan.timer",
                "/lib/systemd/system/driftguard-scan.service", "/usr/share/driftguard/driftguard-scan.jar");
        assertThat(box.sh("systemctl list-timers --no-pager").output()).contains("driftguard-scan.timer");
    }

    /**
     * The timer's job as systemd runs it, against a docker-registry on the host (the box shares
     * its network): each image finding is one journald entry of the unit with fields to filter on,
     * the same event in the store, and a line of the run's report. The second tag's config User
     * is uid 0 with a newline and an escape in it: journald keeps it as one field, forging none.
     */
    @Test
    @Order(12)
    void scanUnitSendsImageFindingsToTheJournalAndTheStore() throws Exception {
        Prerequisites.requireImage(WEB_IMAGE);
        Prerequisites.requireCommand("skopeo");
        registry = LocalRegistry.start(work.resolve("registry"));
        String repository = registry.host() + "/it/web";
        String plainDigest = ImagePush.copy(WEB_IMAGE, "docker://" + repository + ":1", work.resolve("plain"));
        String hostileDigest = ImagePush.withUser(WEB_IMAGE, HOSTILE_USER, "docker://" + repository + ":hostile",
                work.resolve("hostile"));
        Command.Result configured = box.sh("""
                set -e
                cp -p /etc/driftguard/driftguard.toml /root/driftguard.toml.before-scan
                cat >> /etc/driftguard/driftguard.toml <<'EOF'

                [scan]
                fail_on = "medium"                # so that the root-user finding fails the unit

                [[registry]]
                url = "http://%s"
                repositories = ["it/web"]
                EOF
                """.formatted(registry.host()));
        assertThat(configured.ok()).as("%s", configured).isTrue();
        try {
            long before = journalClock();
            Command.Result scan = box.sh(Duration.ofMinutes(3), "systemctl start driftguard-scan.service");
            Supplier<String> unitLog = () -> box.sh("journalctl -u driftguard-scan --no-pager -n 40").output();
            assertThat(scan.ok()).as(() -> "a finding at fail_on fails the oneshot: " + scan + "\n" + unitLog.get()).isFalse();
            assertThat(box.sh("systemctl show -p ExecMainStatus -p Result driftguard-scan.service").output())
                    .as(() -> "the unit ran the scan to its end (exit 1: findings)\n" + unitLog.get())
                    .contains("ExecMainStatus=1\n", "Result=exit-code\n");

            String finding = "DRIFTGUARD_KIND=registry DRIFTGUARD_FINDING=misconfiguration DRIFTGUARD_ID=root-user";
            JsonNode plain = awaitJournal("driftguard-scan", finding + " DRIFTGUARD_TAG=1", entry -> loggedAfter(entry, before));
            String message = repository + ":1: Misconfiguration: 'root' user allowed to run container";
            assertThat(text(plain, "MESSAGE")).isEqualTo(message);
            assertThat(text(plain, "_SYSTEMD_UNIT")).isEqualTo("driftguard-scan.service");
            assertThat(text(plain, "SYSLOG_IDENTIFIER")).isEqualTo("driftguard");
            assertThat(text(plain, "PRIORITY")).isEqualTo("4");
            assertThat(text(plain, "DRIFTGUARD_ACTION")).isEqualTo("alerted");
            assertThat(values(plain, "DRIFTGUARD_SEVERITY")).containsExactly("medium");
            assertThat(text(plain, "DRIFTGUARD_REGISTRY")).isEqualTo(registry.host());
            assertThat(text(plain, "DRIFTGUARD_REPOSITORY")).isEqualTo("it/web");
            assertThat(text(plain, "DRIFTGUARD_IMAGE")).isEqualTo(repository + ":1");
            assertThat(text(plain, "DRIFTGUARD_IMAGE_ID")).isEqualTo(plainDigest);
            assertThat(text(plain, "DRIFTGUARD_DIGEST")).isEqualTo(plainDigest);
            assertThat(text(plain, "DRIFTGUARD_REASON")).isEqualTo("the config sets no User");

            JsonNode hostile = awaitJournal("driftguard-scan", finding + " DRIFTGUARD_TAG=hostile", entry -> loggedAfter(entry, before));
            assertThat(text(hostile, "DRIFTGUARD_IMAGE_ID")).isEqualTo(hostileDigest);
            assertThat(values(hostile, "PRIORITY")).as("no PRIORITY forged by the User").containsExactly("4");
            assertThat(values(hostile, "DRIFTGUARD_SEVERITY")).as("no severity forged by the User").containsExactly("medium");
            assertThat(values(hostile, "DRIFTGUARD_USER")).as("the User verbatim, newlines and all").containsExactly(HOSTILE_USER);
            assertThat(values(hostile, "DRIFTGUARD_REASON")).containsExactly("User '" + HOSTILE_USER + "' is uid 0");
            assertThat(parse(text(hostile, "DRIFTGUARD_EVENT")).path("details").path("user").asText()).isEqualTo(HOSTILE_USER);

            // The run's report, on the unit's stderr, names the same findings.
            awaitJournal("driftguard-scan", "_TRANSPORT=stdout",
                    entry -> loggedAfter(entry, before) && text(entry, "MESSAGE").equals("misconfiguration: " + message));
            awaitJournal("driftguard-scan", "_TRANSPORT=stdout", entry -> loggedAfter(entry, before)
                    && text(entry, "MESSAGE").startsWith("scan finished in") && text(entry, "MESSAGE").contains(" 0 errors, "));

            // The same events in the store, as `driftguard events` reads them.
            Command.Result stored = box.sh("driftguard events --kind registry --since 10m --json");
            assertThat(stored.ok()).as("%s", stored).isTrue();
            for (JsonNode journal : List.of(plain, hostile)) {
                JsonNode event = parse(text(journal, "DRIFTGUARD_EVENT"));
                JsonNode row = stored.output().lines().filter(line -> line.startsWith("{")).map(DebInSystemdIT::parse)
                        .filter(e -> e.path("image").equals(event.path("image")) && e.path("details").equals(event.path("details")))
                        .findFirst().orElseThrow(() -> new AssertionError("not in the store: " + event + "\nit has:\n" + stored));
                for (String field : List.of("kind", "action", "severity", "image_id", "message")) {
                    assertThat(row.path(field)).as(field).isEqualTo(event.path(field));
                }
            }

            // The daemon reads the same file, [scan] and [[registry]] included.
            Command.Result daemon = box.sh(Duration.ofMinutes(3), "systemctl restart driftguard && systemctl is-active driftguard");
            assertThat(daemon.ok()).as("%s", daemon).isTrue();
        } finally {
            box.sh("mv /root/driftguard.toml.before-scan /etc/driftguard/driftguard.toml; systemctl reset-failed driftguard-scan.service");
        }
    }

    @Test
    @Order(13)
    void removeKeepsConfigAndStateAndPurgeDeletesThem() {
        Command.Result remove = box.sh(Duration.ofMinutes(3), "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q driftguard");
        assertThat(remove.ok()).as("%s", remove).isTrue();
        Command.Result afterRemove = box.sh("""
                dpkg-query -W -f='${Status}\\n' driftguard
                test -f /etc/driftguard/driftguard.toml && echo config kept
                test -f /var/lib/driftguard/driftguard.db && echo state kept
                test -e /usr/share/driftguard || echo program gone
                systemctl is-active driftguard
                """);
        assertThat(afterRemove.output()).contains("deinstall ok config-files", "config kept", "state kept", "program gone")
                .doesNotContain("\nactive");

        Command.Result purge = box.sh(Duration.ofMinutes(3), "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q driftguard");
        assertThat(purge.ok()).as("%s", purge).isTrue();
        Command.Result afterPurge = box.sh("""
                dpkg-query -W -f='${Status}\\n' driftguard 2>&1
                ls -d /etc/driftguard /var/lib/driftguard /etc/systemd/system/driftguard.service \\
                  /etc/systemd/system/multi-user.target.wants/driftguard.service 2>/dev/null
                echo done
                """);
        assertThat(afterPurge.output()).doesNotContain("ok installed", "config-files", "/etc/driftguard", "/var/lib/driftguard",
                "/etc/systemd/system/").contains("done");
    }

    private void startTarget() {
        Command.Result started = Command.run(Duration.ofMinutes(1), List.of("docker", "run", "-d", "--name", target,
                "--label", "driftguard.test=packaging", "--label", "driftguard.test.run=" + run,
                "--network", "none", SHELL_IMAGE));
        assertThat(started.ok()).as("%s", started).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!box.sh("driftguard status").output().contains(target)) {
            assertThat(System.nanoTime()).as("the daemon attaches to " + target).isLessThan(deadline);
            SystemdContainer.sleep(Duration.ofMillis(500));
        }
    }

    private static Command.Result exec(String container, String... command) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", container));
        argv.addAll(List.of(command));
        return Command.run(Duration.ofSeconds(30), argv);
    }

    /** The container's clock in microseconds, as journald stamps entries (__REALTIME_TIMESTAMP). */
    private long journalClock() {
        return Long.parseLong(box.sh("date +%s%6N").output().strip());
    }

    private static boolean loggedAfter(JsonNode entry, long micros) {
        return Long.parseLong(text(entry, "__REALTIME_TIMESTAMP")) > micros;
    }

    /** Waits up to 30 s for a journal entry of {@code unit}, matched by journalctl field matches and a predicate. */
    private JsonNode awaitJournal(String unit, String matches, Predicate<JsonNode> wanted) {
        String journalctlArgs = "-u " + unit + " " + matches;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = box.sh("journalctl -o json --no-pager " + journalctlArgs).output();
            Optional<JsonNode> found = last.lines().filter(line -> line.startsWith("{")).map(DebInSystemdIT::parse)
                    .filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            SystemdContainer.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("no journal entry as wanted for `journalctl " + journalctlArgs + "`; it shows:\n" + last
                + "\nthe unit's log:\n" + box.sh("journalctl -u " + unit + " --no-pager -n 40").output());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    private static String text(JsonNode entry, String field) {
        return entry.path(field).asText("");
    }

    /**
     * Every value of a field: journalctl -o json gives a field an entry holds more than once as an
     * array, and a value with control characters other than a newline as an array of its bytes.
     */
    private static List<String> values(JsonNode entry, String field) {
        JsonNode node = entry.path(field);
        if (node.isMissingNode()) {
            return List.of();
        }
        boolean several = node.isArray() && (node.isEmpty() || !node.get(0).isNumber());
        Iterable<JsonNode> each = several ? node : List.of(node);
        List<String> values = new ArrayList<>();
        each.forEach(value -> values.add(journalValue(value)));
        return values;
    }

    private static String journalValue(JsonNode value) {
        if (!value.isArray()) {
            return value.asText();
        }
        byte[] bytes = new byte[value.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) value.get(i).asInt();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
