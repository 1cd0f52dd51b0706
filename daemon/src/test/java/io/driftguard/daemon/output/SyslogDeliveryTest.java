package io.driftguard.daemon.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SyslogDeliveryTest {
    private static final Event EVENT = Event.builder(EventKind.NETWORK, EventAction.BLOCKED, Severity.HIGH)
            .message("Blocked connect to 10.0.0.1:443").build();

    @Test
    void oneDatagramPerMessageOverUdp() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             SyslogDelivery delivery = new SyslogDelivery(new SyslogAddress(SyslogAddress.Transport.UDP, "127.0.0.1",
                     listener.getLocalPort()), new Rfc5424(3, false, 1))) {
            listener.setSoTimeout(5000);
            delivery.deliver(EVENT);
            DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
            listener.receive(packet);
            String line = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            assertThat(Rfc5424Test.SYSLOG.matcher(line).matches()).as(line).isTrue();
            assertThat(line).startsWith("<27>1 ").endsWith("Blocked connect to 10.0.0.1:443");
        }
    }

    @Test
    void octetCountedOverTcpReconnectingAfterABrokenConnection() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
             SyslogDelivery delivery = new SyslogDelivery(new SyslogAddress(SyslogAddress.Transport.TCP, "127.0.0.1",
                     listener.getLocalPort()), new Rfc5424(3, false, 1))) {
            listener.setSoTimeout(5000);
            delivery.deliver(EVENT);
            try (Socket first = listener.accept()) {
                assertThat(framed(first.getInputStream())).startsWith("<27>1 ").endsWith("10.0.0.1:443");
            }
            delivery.reopen();
            delivery.deliver(EVENT);
            try (Socket second = listener.accept()) {
                assertThat(framed(second.getInputStream())).startsWith("<27>1 ");
            }
        }
    }

    /** One RFC 6587 octet-counted frame: LEN SP MSG. */
    private static String framed(InputStream raw) throws Exception {
        InputStream in = new BufferedInputStream(raw);
        ByteArrayOutputStream length = new ByteArrayOutputStream();
        for (int c = in.read(); c != ' '; c = in.read()) {
            length.write(c);
        }
        byte[] message = in.readNBytes(Integer.parseInt(length.toString(StandardCharsets.US_ASCII)));
        return new String(message, StandardCharsets.UTF_8);
    }
}
