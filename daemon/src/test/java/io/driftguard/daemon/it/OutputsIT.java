package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.daemon.metrics.PrometheusText;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real blocked exec reaches every output a user can configure: a webhook receiver, a file, syslog
 * over UDP and over a unix socket, all started by the test on 127.0.0.1 or in its folder, and moves
 * the counters of the metrics endpoint. The file follows a rename and SIGHUP; an event while the
 * receiver is down is a counted drop.
 */
class OutputsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RFC 5424 section 6: HEADER SP STRUCTURED-DATA SP MSG. */
    private static final Pattern RFC5424 = Pattern.compile("<(\\d{1,3})>1 \\S+ \\S+ driftguard \\d+ (\\S+) (?<sd>-|\\[.*]) \uFEFF(?<msg>.*)",
            Pattern.DOTALL);

    private static final String HOST = "it-outputs";

    @TempDir
    Path tmp;

    @Test
    void aBlockedExecReachesEveryOutputAndTheMetrics() throws Exception {
        Prerequisites.requireImage(DockerCli.IMAGE);
        BlockingQueue<String> posted = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        Path logs = Files.createDirectories(tmp.resolve("logs"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path unixSocket = tmp.resolve("log.sock");
        int metricsPort = freePort();
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             UnixDatagramChannel unix = UnixDatagramChannel.open().bind(new UnixSocketAddress(unixSocket.toFile()));
             DockerCli docker = new DockerCli("dg-it-outputs"); DaemonProcess daemon = new DaemonProcess(tmp)) {
            udp.setSoTimeout(30_000);
            Files.writeString(daemon.config(), Files.readString(daemon.config())
                    .replace("control_socket = \"state/driftguard.sock\"", "control_socket = \"state/driftguard.sock\"\nhost_id = \"" + HOST + "\"")
                    + """
                    [[output]]
                    type = "webhook"
                    url = "http://127.0.0.1:%d/hook"
                    retries = 1
                    retry_delay = "100ms"
                    [[output]]
                    type = "file"
                    path = "logs/events.json"
                    [[output]]
                    type = "syslog"
                    name = "siem"
                    address = "udp://127.0.0.1:%d"
                    facility = "local0"
                    [[output]]
                    type = "syslog"
                    name = "local"
                    address = "unix:%s"
                    format = "json"
                    [metrics]
                    listen = "127.0.0.1:%d"
                    """.formatted(receiver.getAddress().getPort(), udp.getLocalPort(), unixSocket, metricsPort));
            daemon.policy("shells.toml", """
                    [[policy]]
                    name = "NoBash"
                    match.labels = { app = "dg-it-outputs" }
                    [[policy.process]]
                    action = "block"
                    names = ["bash"]
                    """);
            daemon.start();
            String container = docker.start("app=dg-it-outputs");
            daemon.awaitAttached(docker.id(container));
            Map<String, Double> before = scrape(metricsPort);

            docker.execIn(container, "bash", "-c", "true");

            // The webhook: Falcosidekick's form.
            JsonNode hook = awaitJson(posted, j -> container.equals(j.path("output_fields").path("container.name").asText()));
            assertThat(hook.get("output").asText()).contains("bash", container);
            assertThat(hook.get("priority").asText()).isEqualTo("Error");
            assertThat(hook.get("source").asText()).isEqualTo("driftguard");
            assertThat(hook.get("rule").asText()).isNotEmpty();
            assertThat(hook.get("time").asText()).isNotEmpty();
            assertThat(hook.get("hostname").asText()).isNotEmpty();
            assertThat(hook.get("tags")).extracting(JsonNode::asText).contains("process", "blocked", "NoBash");
            assertThat(hook.get("output_fields").get("driftguard.action").asText()).isEqualTo("blocked");

            // The file: JSON lines, owner-only.
            Path file = logs.resolve("events.json");
            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> blockedIn(file, container) == 1, "the blocked exec in " + file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

            // Syslog over UDP: structured data; over the unix socket: the event as JSON.
            Matcher udpLine = awaitSyslog(udp, container);
            assertThat(udpLine.group(1)).isEqualTo("131"); // local0 * 8 + err
            assertThat(udpLine.group(2)).isEqualTo("process");
            assertThat(udpLine.group("sd")).startsWith("[driftguard@32473 kind=\"process\" action=\"blocked\" severity=\"high\" policy=\"NoBash\"")
                    .contains("container_name=\"" + container + "\"");
            assertThat(EventJson.fromJson(awaitUnixSyslog(unix, container).group("msg")).containerName()).isEqualTo(container);

            // The metrics moved.
            Map<String, Double> after = scrape(metricsPort);
            assertThat(PrometheusText.sum(after, "driftguard_events_total", "kind=\"process\"", "action=\"blocked\"", "policy=\"NoBash\""))
                    .isEqualTo(PrometheusText.sum(before, "driftguard_events_total", "kind=\"process\"", "action=\"blocked\"", "policy=\"NoBash\"") + 1);
            assertThat(PrometheusText.sum(after, "driftguard_exec_decisions_total", "answer=\"deny\""))
                    .isGreaterThan(PrometheusText.sum(before, "driftguard_exec_decisions_total", "answer=\"deny\""));
            assertThat(after.get("driftguard_exec_decision_duration_seconds_count"))
                    .isGreaterThan(before.get("driftguard_exec_decision_duration_seconds_count"));
            assertThat(after).containsEntry("driftguard_containers_attached", 1.0)
                    .containsKey("driftguard_store_size_bytes")
                    .containsKey("driftguard_kernel_events_lost_total{source=\"fanotify\"}");
            assertThat(PrometheusText.sum(after, "driftguard_output_events_total", "output=\"webhook\"", "result=\"sent\"")).isPositive();

            // A scanner finding, written to the store as driftguard-scan does, reaches the outputs too.
            try (Database database = Database.open(tmp.resolve("state/driftguard.db"))) {
                new EventStore(database, HOST).accept(Event.builder(EventKind.REGISTRY, EventAction.ALERTED, Severity.HIGH)
                        .detail("finding", "drift").message("Tag registry.test/app:1 moved (" + container + ")").build());
            }
            JsonNode finding = awaitJson(posted, j -> j.path("output").asText().equals("Tag registry.test/app:1 moved (" + container + ")"));
            assertThat(finding.get("tags")).extracting(JsonNode::asText).contains("registry", "alerted");
            assertThat(finding.get("output_fields").get("driftguard.finding").asText()).isEqualTo("drift");

            // logrotate's way: rename, then SIGHUP; the next event goes to a new file.
            Path rotated = logs.resolve("events.json.1");
            Files.move(file, rotated);
            daemon.signal("HUP");
            daemon.awaitOutput("reloaded");
            String second = docker.start("app=dg-it-outputs");
            daemon.awaitAttached(docker.id(second));
            docker.execIn(second, "bash", "-c", "true");
            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> blockedIn(file, second) == 1, "the next event in a new " + file);
            assertThat(blockedIn(rotated, second)).isZero();
            assertThat(blockedIn(rotated, container)).isOne();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

            // The receiver goes down: the next event is tried twice, then counted as dropped.
            receiver.stop(0);
            String third = docker.start("app=dg-it-outputs");
            daemon.awaitAttached(docker.id(third));
            docker.execIn(third, "bash", "-c", "true");
            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> droppedBy(daemon, "webhook") >= 1, "a drop event of the webhook output");
            String drops = daemon.cli("events", "--kind", "daemon", "--json").out();
            JsonNode drop = drops.lines().map(OutputsIT::json).filter(j -> "webhook".equals(j.path("details").path("output").asText()))
                    .findFirst().orElseThrow();
            assertThat(drop.get("action").asText()).isEqualTo("alerted");
            assertThat(drop.get("count").asLong()).isEqualTo(drop.get("details").get("dropped").asLong());
            assertThat(drop.get("message").asText()).contains("not sent to output webhook", "could not be delivered");
            // The other outputs still got that event.
            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> blockedIn(file, third) == 1, "the event in the file while the webhook is down");
            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> {
                try {
                    return PrometheusText.sum(scrape(metricsPort), "driftguard_output_events_total", "output=\"webhook\"", "result=\"dropped\"") >= 1;
                } catch (Exception e) {
                    return false;
                }
            }, "the webhook's drops in the metrics");
            JsonNode status = daemon.status();
            assertThat(status.get("metrics").asText()).isEqualTo("127.0.0.1:" + metricsPort);
            JsonNode webhook = null;
            for (JsonNode output : status.get("outputs")) {
                if (output.get("name").asText().equals("webhook")) {
                    webhook = output;
                }
            }
            assertThat(webhook).isNotNull();
            assertThat(webhook.get("target").asText()).endsWith("/hook");
            assertThat(webhook.get("sent").asLong()).isPositive();
            assertThat(webhook.get("dropped").asLong()).isPositive();
            assertThat(status.get("outputs")).hasSize(4);
            assertThat(daemon.cli("status").out()).contains("Output webhook to http://127.0.0.1:", " dropped, ",
                    "Metrics: http://127.0.0.1:" + metricsPort + "/metrics");
        } finally {
            receiver.stop(0);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static JsonNode awaitJson(BlockingQueue<String> posted, Predicate<JsonNode> wanted) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            String body = posted.poll(1, TimeUnit.SECONDS);
            if (body != null && wanted.test(json(body))) {
                return json(body);
            }
        }
        throw new AssertionError("the webhook receiver got no such event");
    }

    /** Blocked events of {@code container} in a JSON lines file. */
    private static long blockedIn(Path file, String container) {
        try {
            if (!Files.exists(file)) {
                return 0;
            }
            return Files.readAllLines(file).stream().map(EventJson::fromJson)
                    .filter(e -> container.equals(e.containerName()) && e.action().wire().equals("blocked")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long droppedBy(DaemonProcess daemon, String output) {
        return daemon.cli("events", "--kind", "daemon", "--json").out().lines().map(OutputsIT::json)
                .filter(j -> output.equals(j.path("details").path("output").asText()))
                .mapToLong(j -> j.path("details").path("dropped").asLong()).sum();
    }

    private static Matcher awaitSyslog(DatagramSocket udp, String container) throws IOException {
        while (true) { // the socket's timeout ends the wait
            DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
            udp.receive(packet);
            Matcher m = RFC5424.matcher(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            assertThat(m.matches()).as(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)).isTrue();
            if (m.group("sd").contains("container_name=\"" + container + "\"")) {
                return m;
            }
        }
    }

    /** jnr's non-blocking receive sometimes throws EAGAIN where it should answer null (nothing waiting). */
    private static Object receive(UnixDatagramChannel unix, ByteBuffer buffer) throws IOException {
        try {
            return unix.receive(buffer);
        } catch (IOException e) {
            if ("Resource temporarily unavailable".equals(e.getMessage())) {
                return null;
            }
            throw e;
        }
    }

    private static Matcher awaitUnixSyslog(UnixDatagramChannel unix, String container) throws Exception {
        unix.configureBlocking(false);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (System.nanoTime() < end) {
            buffer.clear();
            if (receive(unix, buffer) == null) {
                Thread.sleep(50);
                continue;
            }
            buffer.flip();
            String line = StandardCharsets.UTF_8.decode(buffer).toString();
            Matcher m = RFC5424.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            if (m.group("msg").contains("\"container_name\":\"" + container + "\"")) {
                return m;
            }
        }
        throw new AssertionError("no syslog message on " + unix);
    }
}
