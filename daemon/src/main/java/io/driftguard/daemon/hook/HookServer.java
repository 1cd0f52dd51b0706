package io.driftguard.daemon.hook;

import io.driftguard.core.event.Event;
import io.driftguard.core.fs.TrustedPath;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.Database;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The socket driftguard-runtime's start hook talks to: owner-only, in an owner-only folder. The
 * hook writes runc's state and closes its side; the answer is one line, sent once the container's
 * enforcement is attached (or no policy selects it). Each start is handled on its own thread, so
 * that one slow attach does not hold up the starts of other containers. The hook's fallbacks
 * (the daemon down or too slow) are read from SOCKET.fallbacks/ at start and every 10 s.
 */
public final class HookServer implements AutoCloseable {
    private static final Log LOG = Log.of(HookServer.class);
    private static final int MAX_STATE = 1 << 20;

    private final Path path;
    private final ServerSocketChannel server;
    private final StartGate gate;
    private final HookFallbacks fallbacks;
    private final Thread thread;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService starts = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "driftguard-hook-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService sweep = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driftguard-hook-fallbacks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong attached = new AtomicLong();
    private final AtomicLong notSelected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    private HookServer(Path path, ServerSocketChannel server, StartGate gate, HookFallbacks fallbacks) {
        this.path = path;
        this.server = server;
        this.gate = gate;
        this.fallbacks = fallbacks;
        this.thread = new Thread(this::serve, "driftguard-hook");
        this.thread.setDaemon(true);
    }

    public static HookServer start(Path path, StartGate gate, Consumer<Event> events) throws IOException {
        Database.createPrivateDirectories(path.getParent());
        TrustedPath.require(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 128);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        HookServer hook = new HookServer(path, server, gate, new HookFallbacks(HookFallbacks.folderOf(path), events));
        hook.thread.start();
        hook.sweep.scheduleWithFixedDelay(hook.fallbacks::sweep, 0, 10, TimeUnit.SECONDS);
        return hook;
    }

    public Path socket() {
        return path;
    }

    /** Counts for {@code driftguard status}. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        counts.put("attached_before_first_exec", attached.get());
        counts.put("not_selected", notSelected.get());
        counts.put("attach_failed", failed.get());
        counts.put("unreadable_requests", unreadable.get());
        counts.put("hook_gone_before_answer", abandoned.get());
        counts.put("fallbacks", fallbacks.count());
        return counts;
    }

    private void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                starts.execute(() -> handle(client));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                if (server.isOpen()) {
                    LOG.warn("hook socket: " + e.getMessage());
                }
            }
        }
    }

    private void handle(SocketChannel client) {
        try (client) {
            ByteBuffer state = ByteBuffer.allocate(MAX_STATE);
            while (state.hasRemaining() && client.read(state) >= 0) {
                // The hook closes its side after the state.
            }
            if (state.position() == 0) {
                reply(client, new StartAnswer(StartAnswer.Outcome.NOT_SELECTED, "")); // a readiness probe (docker setup)
                return;
            }
            StartRequest request;
            try {
                request = Bundle.request(java.util.Arrays.copyOf(state.array(), state.position()));
            } catch (IOException | RuntimeException e) {
                unreadable.incrementAndGet();
                LOG.error("start hook: " + e.getMessage());
                reply(client, StartAnswer.failed(e.getMessage()));
                return;
            }
            StartAnswer answer = gate.beforeStart(request);
            (switch (answer.outcome()) {
                case ATTACHED -> attached;
                case NOT_SELECTED -> notSelected;
                case FAILED -> failed;
            }).incrementAndGet();
            if (!reply(client, answer) && answer.outcome() == StartAnswer.Outcome.ATTACHED) {
                abandoned.incrementAndGet();
                gate.abandoned(request);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("start hook connection: " + e.getMessage());
        }
    }

    private static boolean reply(SocketChannel client, StartAnswer answer) {
        try {
            client.write(ByteBuffer.wrap((answer.line() + "\n").getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (IOException gone) {
            return false;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        thread.join(2000);
        sweep.shutdownNow();
        starts.shutdown();
        if (!starts.awaitTermination(2, TimeUnit.SECONDS)) {
            starts.shutdownNow();
        }
        Files.deleteIfExists(path);
    }
}
