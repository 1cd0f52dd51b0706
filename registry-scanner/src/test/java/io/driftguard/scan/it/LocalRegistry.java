package io.driftguard.scan.it;

import io.driftguard.core.testing.Prerequisites;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code docker-registry} on 127.0.0.1 with filesystem storage in a temporary
 * folder, started and stopped by the test that owns it. The storage folder outlives a restart, so
 * a test can push without auth and then serve the same content behind auth.
 */
final class LocalRegistry implements AutoCloseable {
    private final Path dir;
    private final Path storage;
    private Process process;
    private int port;
    private boolean tls;

    private LocalRegistry(Path dir) {
        this.dir = dir;
        this.storage = dir.resolve("storage");
    }

    /** Starts with the given YAML {@code auth:} section ("" for none). */
    static LocalRegistry start(String authYaml) throws Exception {
        Prerequisites.requireCommand("docker-registry");
        LocalRegistry registry = new LocalRegistry(Files.createTempDirectory("driftguard-registry-"));
        registry.launch(authYaml);
        return registry;
    }

    Path dir() {
        return dir;
    }

    int port() {
        return port;
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    URI url() {
        return URI.create((tls ? "https://" : "http://") + host());
    }

    /** Stops the registry and starts it again on a new port with another auth section. */
    void restart(String authYaml) throws Exception {
        stop();
        launch(authYaml);
    }

    /**
     * Stops the registry and starts it again on a new port serving https, with a self-signed
     * certificate for 127.0.0.1 made by openssl; returns the certificate's file.
     */
    Path restartWithTls() throws Exception {
        Prerequisites.requireCommand("openssl");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve("tls.key").toString(), "-out", dir.resolve("tls.crt").toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make the registry's certificate");
        }
        stop();
        tls = true;
        launch("");
        return dir.resolve("tls.crt");
    }

    /** The file holding a blob's bytes in the registry's filesystem storage. */
    Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    private void launch(String authYaml) throws Exception {
        port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: driftguard-test-secret
                %s
                %s
                """.formatted(storage, port, tlsYaml(), authYaml));
        process = new ProcessBuilder("docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile()))
                .start();
        awaitReady();
    }

    private String tlsYaml() {
        return tls ? "  tls:\n    certificate: " + dir.resolve("tls.crt") + "\n    key: " + dir.resolve("tls.key") : "";
    }

    /** Waits until the port takes connections (https cannot be asked without trusting its certificate). */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("docker-registry did not answer on " + url());
    }

    private void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        TempDirs.delete(dir);
    }
}
