package io.driftguard.core.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaldSinkTest {
    @TempDir
    Path tmp;

    @Test
    void sendsNativeProtocolFieldsToTheSocket() throws Exception {
        Path socket = tmp.resolve("journal.sock");
        try (UnixDatagramChannel receiver = UnixDatagramChannel.open()) {
            receiver.bind(new UnixSocketAddress(socket.toString()));
            Event event = Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH)
                    .container("abc", "web-1", "img:1", null).policy("P", "r")
                    .detail("note", "two\nlines")
                    .message("Blocked exec of /bin/sh").build();
            try (JournaldSink sink = new JournaldSink(socket)) {
                sink.accept(event);
            }
            ByteBuffer buf = ByteBuffer.allocate(65536);
            receiver.receive(buf);
            String datagram = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            assertThat(datagram).contains("MESSAGE=Blocked exec of /bin/sh\n", "PRIORITY=3\n", "SYSLOG_IDENTIFIER=driftguard\n",
                    "DRIFTGUARD_KIND=process\n", "DRIFTGUARD_ACTION=blocked\n", "DRIFTGUARD_POLICY=P\n",
                    "DRIFTGUARD_CONTAINER_NAME=web-1\n", "DRIFTGUARD_IMAGE=img:1\n");
            // A value with a newline uses the length-prefixed binary form.
            assertThat(datagram).contains("DRIFTGUARD_NOTE\n").doesNotContain("DRIFTGUARD_NOTE=");
        }
    }
}
