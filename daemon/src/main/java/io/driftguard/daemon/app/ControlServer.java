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
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;

/**
 * The daemon's control socket: a unix stream socket, owner-only, in an owner-only folder. A
 * client writes one request line and reads one JSON answer; {@code driftguard status} uses it.
 */
final class ControlServer implements AutoCloseable {
    private static final Log LOG = Log.of(ControlServer.class);
    private static final int MAX_REQUEST = 4096;

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, String> handler;
    private final Thread thread;

    private ControlServer(Path path, ServerSocketChannel server, Function<String, String> handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        this.thread = new Thread(this::serve, "driftguard-control");
        this.thread.setDaemon(true);
    }

    static ControlServer start(Path path, Function<String, String> handler) throws IOException {
        Database.createPrivateDirectories(path.getParent());
        TrustedPath.require(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        ControlServer control = new ControlServer(path, server, handler);
        control.thread.start();
        return control;
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
        Files.deleteIfExists(path);
    }
}
