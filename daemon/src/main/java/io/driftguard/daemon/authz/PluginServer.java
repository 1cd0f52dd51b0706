package io.driftguard.daemon.authz;

import io.driftguard.core.log.Log;
import io.driftguard.core.store.Database;
import io.driftguard.daemon.admission.AdmissionControl;
import io.driftguard.daemon.admission.AuthzRequest;
import io.driftguard.daemon.admission.Verdict;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Docker authorization plugin endpoint: HTTP/1.1 on a unix socket, one request per
 * connection, on threads of its own (driftguard-authz-N), apart from the exec decision threads.
 * The socket is bound here, or taken from systemd (driftguard-authz.socket), which then keeps it
 * open while the daemon restarts: Docker's requests wait in its backlog instead of failing.
 */
public final class PluginServer implements AutoCloseable {
    private static final Log LOG = Log.of(PluginServer.class);
    /** A request body within Docker's 1 MiB limit, base64, plus the response of AuthZRes, fits well. */
    private static final int MAX_MESSAGE = 8 << 20;
    private static final int THREADS = 16;
    /** A connection that has not sent its request by then is closed. */
    private static final long READ_DEADLINE_SECONDS = 10;

    private final ServerSocketChannel server;
    private final Path socket;
    private final boolean inherited;
    private final AdmissionControl admission;
    private final ExecutorService workers;
    private final ScheduledExecutorService deadlines;
    private final Thread acceptor;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    private PluginServer(ServerSocketChannel server, Path socket, boolean inherited, AdmissionControl admission) {
        this.server = server;
        this.socket = socket;
        this.inherited = inherited;
        this.admission = admission;
        AtomicInteger number = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(256),
                r -> daemonThread(r, "driftguard-authz-" + number.incrementAndGet()));
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "driftguard-authz-deadline"));
        this.acceptor = daemonThread(this::accept, "driftguard-authz-accept");
    }

    /** Serves on {@code socket}; with {@code inherited}, on the listening socket systemd passed (moved to fd 0). */
    public static PluginServer start(Path socket, boolean inherited, AdmissionControl admission) throws IOException {
        ServerSocketChannel server;
        if (inherited) {
            Channel channel = System.inheritedChannel();
            if (!(channel instanceof ServerSocketChannel listening)) {
                throw new IOException("the socket passed by systemd is not a listening stream socket: " + channel);
            }
            server = listening;
            server.configureBlocking(true);
        } else {
            Database.createPrivateDirectories(socket.getParent());
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket), 256);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        }
        PluginServer plugin = new PluginServer(server, inherited ? localPath(server, socket) : socket, inherited, admission);
        plugin.acceptor.start();
        return plugin;
    }

    private static Path localPath(ServerSocketChannel server, Path fallback) {
        try {
            return server.getLocalAddress() instanceof UnixDomainSocketAddress unix ? unix.getPath() : fallback;
        } catch (IOException e) {
            return fallback;
        }
    }

    public Path socket() {
        return socket;
    }

    /** Plugin messages that could not be read (a request among them was denied). */
    public long malformed() {
        return malformed.get();
    }

    /** Connections refused because every worker was busy and the queue full. */
    public long rejected() {
        return rejected.get();
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("authorization plugin: accept failed: " + e.getMessage());
                }
                continue;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException full) {
                rejected.incrementAndGet();
                LOG.warn("authorization plugin: all workers busy, connection refused (" + rejected.get() + " so far)");
                closeQuietly(client);
            }
        }
    }

    private void serve(SocketChannel client) {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(client), READ_DEADLINE_SECONDS, TimeUnit.SECONDS);
        try (client) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(client));
            HttpMessage request;
            try {
                request = HttpMessage.read(in, MAX_MESSAGE);
            } catch (HttpMessage.BadRequest bad) {
                malformed.incrementAndGet();
                LOG.warn("authorization plugin: bad request (" + malformed.get() + " so far): " + bad.getMessage());
                write(client, HttpMessage.response(bad.status, PluginMessages.error("driftguard: " + bad.getMessage())));
                return;
            }
            if (request == null) {
                return;
            }
            deadline.cancel(false);
            write(client, HttpMessage.response(200, answer(request)));
        } catch (IOException e) {
            LOG.debug("authorization plugin: connection failed: " + e.getMessage());
        } finally {
            deadline.cancel(false);
        }
    }

    private byte[] answer(HttpMessage request) {
        boolean beforeRequest;
        switch (request.path()) {
            case "/Plugin.Activate" -> {
                return PluginMessages.ACTIVATE.getBytes(StandardCharsets.UTF_8);
            }
            case "/AuthZPlugin.AuthZReq" -> beforeRequest = true;
            case "/AuthZPlugin.AuthZRes" -> beforeRequest = false;
            default -> {
                return PluginMessages.error("driftguard: unknown plugin call " + request.path());
            }
        }
        AuthzRequest message;
        try {
            message = PluginMessages.request(request.body());
        } catch (IOException e) {
            malformed.incrementAndGet();
            LOG.warn("authorization plugin: unreadable message on " + request.path() + " (" + malformed.get()
                    + " so far): " + e.getMessage());
            return beforeRequest ? PluginMessages.error("driftguard: the plugin message could not be read; denied")
                    : PluginMessages.response(new Verdict(true, ""));
        }
        return PluginMessages.response(beforeRequest ? admission.request(message) : admission.response(message));
    }

    private static void write(SocketChannel client, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            client.write(buffer);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }

    private static Thread daemonThread(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Stops accepting; a socket from systemd stays open in systemd, a bound one is removed. */
    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        deadlines.shutdownNow();
        if (!inherited) {
            Files.deleteIfExists(socket);
        }
    }
}
