package io.driftguard.core.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * Sends datagrams to a unix socket: the one place that binds jnr-unixsocket, used for the
 * journald native protocol, for sd_notify and for the syslog output ({@code /dev/log}). Paths
 * starting with '@' are abstract sockets.
 */
public final class UnixDatagram implements AutoCloseable {
    private final UnixDatagramChannel channel;
    private final UnixSocketAddress target;
    private final String name;

    public UnixDatagram(String path) throws IOException {
        this.name = path;
        this.target = new UnixSocketAddress(path.startsWith("@") ? "\0" + path.substring(1) : path);
        this.channel = UnixDatagramChannel.open();
    }

    public void send(byte[] datagram) throws IOException {
        int sent = channel.send(ByteBuffer.wrap(datagram), target);
        if (sent != datagram.length) {
            throw new IOException("sent " + sent + " of " + datagram.length + " bytes to " + name);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
