package io.driftguard.scan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockingExchangeTest {
    private final BlockingExchange exchange = new BlockingExchange(null, Duration.ofSeconds(5));
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private static HttpRequest head(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").header("Authorization", "Bearer t").build();
    }

    @Test
    void answersStatusAndHeadersOverOneKeptAliveConnectionAndReturnsRedirects() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRemoteAddress().getPort() + " " + exchange.getRequestMethod() + " "
                    + exchange.getRequestHeaders().getFirst("Accept") + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "http://elsewhere.invalid/x");
                exchange.sendResponseHeaders(307, -1);
            } else {
                exchange.getResponseHeaders().add("Docker-Content-Digest", "sha256:abc");
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

        HttpResponse<Void> first = exchange.send(head(base.resolve("/v2/a/manifests/1"), Duration.ofSeconds(5)), HttpResponse.BodyHandlers.discarding());
        HttpResponse<Void> moved = exchange.send(head(base.resolve("/moved"), Duration.ofSeconds(5)), HttpResponse.BodyHandlers.discarding());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("docker-content-digest")).hasValue("sha256:abc");
        assertThat(first.body()).isNull();
        assertThat(moved.statusCode()).isEqualTo(307);
        assertThat(moved.headers().firstValue("Location")).hasValue("http://elsewhere.invalid/x");
        assertThat(seen).hasSize(2).allMatch(line -> line.endsWith(" HEAD application/vnd.oci.image.manifest.v1+json Bearer t"));
        assertThat(seen.get(0).split(" ")[0]).as("the same connection").isEqualTo(seen.get(1).split(" ")[0]);
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    }

    @Test
    void aGetHandsTheWholeBodyToItsSubscriberAndKeepsTheConnectionUnlessTheBodyWasCutShort() throws Exception {
        List<Integer> ports = new CopyOnWriteArrayList<>();
        byte[] big = new byte[100_000];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ports.add(ex.getRemoteAddress().getPort());
            String path = ex.getRequestURI().getPath();
            byte[] body = path.startsWith("/big") ? big : "{\"tags\":[\"1\"]}".getBytes();
            // /big-chunked declares no length: only reading tells that it is too large.
            ex.sendResponseHeaders(path.equals("/gone") ? 404 : 200, path.equals("/big-chunked") ? 0 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

        HttpResponse<byte[]> small = exchange.send(get(base.resolve("/v2/a/tags/list")), LimitedBody.handler(1000));
        HttpResponse<byte[]> gone = exchange.send(get(base.resolve("/gone")), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> declaredTooLarge = exchange.send(get(base.resolve("/big")), LimitedBody.handler(1000));
        assertThatThrownBy(() -> exchange.send(get(base.resolve("/big-chunked")), LimitedBody.handler(1000)))
                .isInstanceOf(LimitedBody.TooLarge.class);
        exchange.send(get(base.resolve("/v2/a/tags/list")), HttpResponse.BodyHandlers.discarding());

        assertThat(new String(small.body())).isEqualTo("{\"tags\":[\"1\"]}");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).hasSize(14);
        assertThat(declaredTooLarge.body()).as("LimitedBody.of refuses it").isNull();
        assertThat(ports.subList(1, 4)).as("kept alive").containsOnly(ports.get(0));
        assertThat(ports.get(4)).as("a new connection after a body left unread").isNotEqualTo(ports.get(0));
    }

    @Test
    void httpsWithTheRegistrysOwnTrustKeepsItsConnectionToo(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path keys = dir.resolve("keys.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keys.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "registry", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1", "-validity", "2")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        List<Integer> ports = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", ex -> {
            ports.add(ex.getRemoteAddress().getPort());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        URI manifest = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/v2/a/manifests/1");
        BlockingExchange trusting = new BlockingExchange(clientTls, Duration.ofSeconds(5));

        for (int i = 0; i < 3; i++) {
            assertThat(trusting.send(head(manifest, Duration.ofSeconds(5)), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        assertThat(ports).hasSize(3).containsOnly(ports.get(0));
        assertThatThrownBy(() -> exchange.send(head(manifest, Duration.ofSeconds(5)), HttpResponse.BodyHandlers.discarding()))
                .as("the JDK's own trust does not know the registry's certificate").isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    /** Accepts connections and never answers. */
    private URI silentServer() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(socket.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        servers.add(() -> {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        });
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v2/a/manifests/1");
    }

    @Test
    void aServerThatNeverAnswersEndsWithATimeout() throws Exception {
        long start = System.nanoTime();
        assertThatThrownBy(() -> exchange.send(head(silentServer(), Duration.ofMillis(500)), HttpResponse.BodyHandlers.discarding())).isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(3));
    }

    @Test
    void anInterruptEndsAnExchangeThatIsWaitingForItsAnswer() throws Exception {
        URI silent = silentServer();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread tag = new Thread(() -> {
            try {
                exchange.send(head(silent, Duration.ofSeconds(60)), HttpResponse.BodyHandlers.discarding());
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        tag.start();
        Thread.sleep(300);
        tag.interrupt();
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }
}
