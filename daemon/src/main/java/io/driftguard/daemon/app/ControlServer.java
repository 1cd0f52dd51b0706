package io.driftguard.daemon.app;

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
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * The daemon's control socket: a unix stream socket, owner-only, in an owner-only folder. A
 * client writes one request line and reads one JSON answer; {@code driftguard status} uses it.
 * A socket that a live process answers on is never taken over, and closing removes the socket
 * file only while it is still the one this server bound.
 */
final class ControlServer implements AutoCloseable {
    private static final Log LOG = Log.of(ControlServer.class);
    private static final int MAX_REQUEST = 4096;

    private final Path path;
    /** The bound socket file's identity (device and inode), so that close never deletes another's. */
    private final Object fileKey;
    private final ServerSocketChannel server;
    private final Function<String, String> handler;
    private final Thread thread;

    private ControlServer(Path path, Object fileKey, ServerSocketChannel server, Function<String, String> handler) {
        this.path = path;
        this.fileKey = fileKey;
        this.server = server;
        this.handler = handler;
        this.thread = new Thread(this::serve, "driftguard-control");
        this.thread.setDaemon(true);
    }

    static ControlServer start(Path path, Function<String, String> handler) throws IOException {
        Database.createPrivateDirectories(path.getParent());
        TrustedPath.require(path.getParent());
        if (answers(path)) {
            throw new IOException("a process already listens on " + path + " (another driftguard daemon?); stop it first");
        }
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        ControlServer control = new ControlServer(path, key, server, handler);
        control.thread.start();
        return control;
    }

    /** True when something accepts connections on {@code path}; a stale socket file refuses them. */
    private static boolean answers(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return false;
        }
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST);
                while (request.hasRemaining() && client.read(request) > 0) {
                    if (request.get(request.position() - 1) == '\n') {
                        break;
                    }
                }
                String line = new String(request.array(), 0, request.position(), StandardCharsets.UTF_8).trim();
                client.write(ByteBuffer.wrap((answer(line) + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control socket: " + e.getMessage());
                }
            }
        }
    }

    /** One bad request must not end the server: the error becomes the answer. */
    private String answer(String request) {
        try {
            return handler.apply(request);
        } catch (RuntimeException e) {
            LOG.error("control request '" + request + "' failed: " + e);
            return "{\"error\":\"internal error; see the daemon's log\"}";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        thread.join(2000);
        try {
            if (fileKey.equals(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())) {
                Files.delete(path);
            }
        } catch (NoSuchFileException gone) {
            // Removed already (by hand, or by the runtime folder's cleanup): nothing of ours is left.
        }
    }
}
