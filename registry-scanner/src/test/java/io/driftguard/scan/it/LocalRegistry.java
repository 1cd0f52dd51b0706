package io.driftguard.scan.it;

import io.driftguard.core.testing.Prerequisites;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code docker-registry} on 127.0.0.1 with filesystem storage in a temporary
 * folder, started and stopped by the test that owns it. The storage folder outlives a restart, so
 * a test can push without auth and then serve the same content behind auth, or over https.
 */
final class LocalRegistry implements AutoCloseable {
    private final Path dir;
    private final Path storage;
    /** The registry process of this folder, replaced on each restart. */
    private io.driftguard.core.testing.LocalRegistry running;
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

    String host() {
        return running.host();
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
        running = io.driftguard.core.testing.LocalRegistry.start(dir, tlsYaml(), authYaml);
    }

    private String tlsYaml() {
        return tls ? "  tls:\n    certificate: " + dir.resolve("tls.crt") + "\n    key: " + dir.resolve("tls.key") : "";
    }

    private void stop() throws InterruptedException {
        if (running != null) {
            running.close();
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        TempDirs.delete(dir);
    }
}
