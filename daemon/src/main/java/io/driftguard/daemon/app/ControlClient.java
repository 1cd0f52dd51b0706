package io.driftguard.daemon.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Sends one request to a running daemon's control socket and returns its answer. */
public final class ControlClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ControlClient() {
    }

    /**
     * Fails with {@link ControlSocketDenied} when the caller may not use the socket, else with an
     * IOException when the daemon does not answer within ten seconds.
     */
    public static String request(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            connect(channel, socket);
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || selector.select(left) == 0) {
                    throw new IOException("no answer from " + socket + " within " + TIMEOUT.toSeconds() + "s");
                }
                selector.selectedKeys().clear();
                int n = channel.read(buf);
                if (n < 0) {
                    return answer.toString(StandardCharsets.UTF_8);
                }
                answer.write(buf.array(), 0, buf.position());
                buf.clear();
            }
        }
    }

    private static void connect(SocketChannel channel, Path socket) throws IOException {
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw explain(socket, e);
        }
    }

    /** connect(2) gives EACCES, which the JDK reports as its strerror text only, when the socket or its folder is not ours. */
    static IOException explain(Path socket, IOException e) {
        return "Permission denied".equals(e.getMessage()) ? new ControlSocketDenied(socket, e) : e;
    }
}
