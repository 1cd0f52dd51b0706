package io.driftguard.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Debian docker-registry on a free loopback port, with its config, log and filesystem
 * storage (deletes allowed) in a folder the test owns. The storage outlives the process: started
 * again on the same folder, it serves the same content.
 */
public final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Plain http, anonymous. */
    public static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        return start(dir, "", "");
    }

    /**
     * Starts it and waits until it takes connections; skipped (or failed under CI) without
     * docker-registry. {@code httpYaml} goes into the http section, indented by two spaces (tls),
     * {@code rootYaml} at the top (an auth section).
     */
    public static LocalRegistry start(Path dir, String httpYaml, String rootYaml) throws IOException, InterruptedException {
        Prerequisites.requireCommand("docker-registry");
        Files.createDirectories(dir);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
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
                """.formatted(dir.resolve("storage"), port, httpYaml, rootYaml));
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        LocalRegistry registry = new LocalRegistry(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!registry.answers()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                registry.close();
                throw new IllegalStateException("docker-registry did not answer on " + registry.host() + "; its log:\n"
                        + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return registry;
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** 127.0.0.1:PORT, as image references and [[registry]] urls name it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
