package io.driftguard.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster from Debian's {@code postgresql} package (scripts/setup-host.sh
 * installs it): initdb in a temporary folder owned by the {@code postgres} user, a server on
 * 127.0.0.1 at a free port with password (SCRAM) authentication, stopped and deleted on close.
 * Each test gets its own cluster, so tests running at once on this host never meet.
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String USER = "driftguard";

    private final Path dir;
    private final Path bin;
    private final int port;
    private final String password;

    private PostgresCluster(Path dir, Path bin, int port, String password) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.password = password;
    }

    public static PostgresCluster start() throws Exception {
        Prerequisites.requireRoot();
        Optional<Path> bin = binaries();
        Prerequisites.require(bin.isPresent(), "PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian package postgresql)");
        Path dir = Files.createTempDirectory("driftguard-pg");
        String password = UUID.randomUUID().toString();
        Files.writeString(dir.resolve("pwfile"), password + "\n");
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        run(asPostgres(bin.get().resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--pwfile=" + dir.resolve("pwfile"), "--auth=scram-sha-256", "--locale=C.UTF-8", "--encoding=UTF8", "--no-sync"));
        int port = freePort();
        PostgresCluster cluster = new PostgresCluster(dir, bin.get(), port, password);
        cluster.startServer();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE driftguard");
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public int port() {
        return port;
    }

    /** The {@code [store] url} of the cluster's driftguard database. */
    public String url() {
        return "postgresql://127.0.0.1:" + port + "/driftguard";
    }

    public String password() {
        return password;
    }

    /** Starts the server again after {@link #stop}, on the same port with the same data. */
    public void startServer() throws Exception {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    /** Stops the server (fast shutdown) and keeps the data, for tests of an unreachable database. */
    public void stop() throws Exception {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Optional<Path> binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        }
    }

    private static List<String> asPostgres(String... command) {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        all.addAll(List.of(command));
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
