package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eBPF rules through the daemon: policies with network and kill-by-name rules, the isolate and
 * release commands, and what status says enforces them. Traffic goes only to listeners this
 * test opens on 127.0.0.1, 127.0.0.2 and 127.0.0.3.
 */
class KernelPolicyIT {
    @TempDir
    static Path tmp;

    private static DaemonFixture fixture;
    private static DaemonProcess daemon;
    private static DockerCli docker;
    private static ServerSocket listener1;
    private static ServerSocket listener2;
    private static ServerSocket listener3;

    @BeforeAll
    static void start() throws Exception {
        fixture = DaemonFixture.onHostEngine(tmp, "dg-it-kernel");
        daemon = fixture.daemon();
        docker = fixture.docker();
        listener1 = listen("127.0.0.1");
        listener2 = listen("127.0.0.2");
        listener3 = listen("127.0.0.3");
        fixture.policy("kernel.toml", """
                [[policy]]
                name = "NoSecondLoopback"
                match.labels = { app = "dg-it-net" }
                [[policy.network]]
                action = "block"
                cidrs = ["127.0.0.2/32"]
                protocols = ["tcp"]

                [[policy]]
                name = "EgressAllowList"
                match.labels = { app = "dg-it-egress" }
                [[policy.network]]
                name = "no-egress"
                action = "block"
                cidrs = ["0.0.0.0/0", "::/0"]
                except = ["127.0.0.1/32", "::1/128"]
                [[policy.network]]
                name = "third-loopback"
                action = "allow"
                cidrs = ["127.0.0.3/32"]
                ports = [%d]

                [[policy]]
                name = "KillNetcat"
                match.labels = { app = "dg-it-nc" }
                [[policy.process]]
                action = "kill"
                names = ["nc"]
                """.formatted(listener3.getLocalPort())).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
        for (ServerSocket listener : new ServerSocket[] {listener1, listener2, listener3}) {
            if (listener != null) {
                listener.close();
            }
        }
    }

    /** A listener that accepts and closes connections until the test ends. */
    private static ServerSocket listen(String address) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket ignored = socket.accept()) {
                    // accepted: that is all the test needs
                } catch (IOException closed) {
                    return;
                }
            }
        }, "listener-" + address);
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    private static DockerCli.Result connect(String container, ServerSocket to) {
        return docker.execIn(container, "nc", "-w", "2", to.getInetAddress().getHostAddress(),
                Integer.toString(to.getLocalPort()));
    }

    @Test
    void networkRuleBlocksOneDestinationInsideTheContainerOnly() throws Exception {
        String name = fixture.attachedOn("host", "app=dg-it-net");
        DockerCli.Result blocked = connect(name, listener2);
        assertThat(blocked.exit()).as(blocked.all()).isNotZero();
        assertThat(blocked.all()).containsIgnoringCase("operation not permitted");
        assertThat(connect(name, listener1).exit()).isZero();
        try (Socket host = new Socket(listener2.getInetAddress(), listener2.getLocalPort())) {
            assertThat(host.isConnected()).as("the host still reaches 127.0.0.2").isTrue();
        }
        DaemonProcess.waitFor(Duration.ofSeconds(10), () -> daemon.cli("events", "--kind", "network", "--container", name)
                .out().contains("blocked"), "network event");
        assertThat(daemon.cli("events", "--kind", "network", "--container", name).out())
                .contains("Blocked connect to 127.0.0.2:" + listener2.getLocalPort() + "/tcp", "NoSecondLoopback");
        assertThat(daemon.cli("status").out()).containsPattern("network +NoSecondLoopback/network\\[0\\] +NoSecondLoopback +block +eBPF cgroup/connect4");
    }

    @Test
    void oneBlockRuleWithExceptAndAnAllowRuleLetOnlyTheListedLoopbacksThrough() throws Exception {
        String name = fixture.attachedOn("host", "app=dg-it-egress");
        DockerCli.Result blocked = connect(name, listener2);
        assertThat(blocked.exit()).as(blocked.all()).isNotZero();
        assertThat(blocked.all()).containsIgnoringCase("operation not permitted");
        DockerCli.Result excepted = connect(name, listener1);
        assertThat(excepted.exit()).as("127.0.0.1 is in the except list: %s", excepted.all()).isZero();
        DockerCli.Result allowed = connect(name, listener3);
        assertThat(allowed.exit()).as("127.0.0.3 on its port is allowed: %s", allowed.all()).isZero();
        DockerCli.Result otherPort = docker.execIn(name, "nc", "-w", "2", "127.0.0.3", Integer.toString(listener2.getLocalPort()));
        assertThat(otherPort.all()).as("the allow rule names one port").containsIgnoringCase("operation not permitted");
        DaemonProcess.waitFor(Duration.ofSeconds(10), () -> daemon.cli("events", "--kind", "network", "--container", name)
                .out().contains("127.0.0.2"), "network event");
        String events = daemon.cli("events", "--kind", "network", "--container", name).out();
        assertThat(events).contains("no-egress").doesNotContain("127.0.0.1:", "127.0.0.3:" + listener3.getLocalPort());
    }

    @Test
    void killByInvokedNameSparesTheOtherBusyboxApplets() throws Exception {
        String name = fixture.attachedOn("host", "app=dg-it-nc");
        DockerCli.Result nc = connect(name, listener1);
        assertThat(nc.exit()).as(nc.all()).isEqualTo(137);
        DockerCli.Result ls = docker.execIn(name, "ls", "/");
        assertThat(ls.exit()).as("busybox itself is not blocked: %s", ls.all()).isZero();
        DaemonProcess.waitFor(Duration.ofSeconds(10), () -> daemon.cli("events", "--container", name, "--json")
                .out().contains("\"action\":\"killed\""), "kill event");
        JsonNode status = daemon.status();
        assertThat(status.toString()).contains("tp_btf/sched_process_exec");
    }

    @Test
    void isolateAndReleaseAnyContainer() throws Exception {
        String name = docker.startOn("host");
        DaemonProcess.waitFor(Duration.ofSeconds(10), () -> daemon.status().path("running_containers").asInt() > 0, "container seen");
        assertThat(connect(name, listener1).exit()).isZero();

        DockerCli.Result isolate = daemon.cli("isolate", name);
        assertThat(isolate.exit()).as(isolate.all()).isZero();
        assertThat(connect(name, listener1).exit()).as("isolated: no packet goes out").isNotZero();
        assertThat(daemon.cli("status").out()).contains("ISOLATED");

        DockerCli.Result release = daemon.cli("release", name);
        assertThat(release.exit()).as(release.all()).isZero();
        assertThat(connect(name, listener1).exit()).isZero();
        assertThat(daemon.cli("release", name).exit()).as("releasing twice is refused").isEqualTo(1);
        DockerCli.Result refused = daemon.cli("release", "--json", name);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.out()).path("error").asText()).isNotBlank();
        String events = daemon.cli("events", "--container", name, "--json").out();
        assertThat(events).contains("\"action\":\"isolated\"", "\"action\":\"released\"");
    }
}
