package io.driftguard.daemon.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Debian docker-registry on a free loopback port, storage in the test's folder; and the scanner that reads it. */
final class LocalRegistry implements AutoCloseable {
    private final Process process;
    private final int port;

    private LocalRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static LocalRegistry start(Path dir) throws Exception {
        Files.createDirectories(dir);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
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
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        Process process = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("registry.log").toFile())).start();
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "docker-registry on port " + port);
        return new LocalRegistry(process, port);
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Runs driftguard-scan from the test class path with {@code config}. */
    static DockerCli.Result scanner(Path config, String... args) {
        List<String> command = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"), "io.driftguard.scan.cli.Main"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        return DockerCli.exec(command);
    }
}
