package io.driftguard.daemon.output;

import io.driftguard.core.event.Event;
import io.driftguard.core.systemd.UnixDatagram;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * Sends RFC 5424 messages: one datagram each to a unix socket or over UDP, or over TCP framed by
 * octet counting ({@code LEN SP MSG}, RFC 6587 section 3.4.1), reconnecting once when the
 * connection broke. Sockets are opened on first use and again after SIGHUP.
 */
final class SyslogDelivery implements Delivery {
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final SyslogAddress address;
    private final Rfc5424 format;
    private UnixDatagram unix;
    private DatagramChannel udp;
    private Socket tcp;

    SyslogDelivery(SyslogAddress address, Rfc5424 format) {
        this.address = address;
        this.format = format;
    }

    @Override
    public String target() {
        return address.toString();
    }

    @Override
    public void deliver(Event event) throws IOException {
        byte[] message = format.format(event).getBytes(StandardCharsets.UTF_8);
        switch (address.transport()) {
            case UNIX -> {
                if (unix == null) {
                    unix = new UnixDatagram(address.target());
                }
                unix.send(message);
            }
            case UDP -> {
                if (udp == null) {
                    udp = DatagramChannel.open();
                }
                udp.send(ByteBuffer.wrap(message), new InetSocketAddress(address.target(), address.port()));
            }
            case TCP -> sendFramed(message);
        }
    }

    private void sendFramed(byte[] message) throws IOException {
        byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        for (int attempt = 0; ; attempt++) {
            try {
                if (tcp == null) {
                    tcp = new Socket();
                    tcp.connect(new InetSocketAddress(address.target(), address.port()), CONNECT_TIMEOUT_MS);
                }
                OutputStream out = tcp.getOutputStream();
                out.write(length);
                out.write(message);
                out.flush();
                return;
            } catch (IOException e) {
                reopen();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void reopen() {
        close();
    }

    @Override
    public void close() {
        try {
            if (unix != null) {
                unix.close();
            }
            if (udp != null) {
                udp.close();
            }
            if (tcp != null) {
                tcp.close();
            }
        } catch (IOException ignored) {
            // Closing what is being replaced or shut down; a broken socket has nothing left to say.
        } finally {
            unix = null;
            udp = null;
            tcp = null;
        }
    }
}
