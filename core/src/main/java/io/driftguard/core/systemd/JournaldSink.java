package io.driftguard.core.systemd;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.event.ProcessInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Sends events to journald through its native protocol, with structured fields, so that
 * {@code journalctl -u driftguard DRIFTGUARD_ACTION=blocked} finds them.
 */
public final class JournaldSink implements EventSink {
    public static final Path SOCKET = Path.of("/run/systemd/journal/socket");

    private final UnixDatagram socket;

    public JournaldSink(Path socketPath) throws IOException {
        this.socket = new UnixDatagram(socketPath.toString());
    }

    public static boolean available() {
        return Files.exists(SOCKET);
    }

    @Override
    public void accept(Event event) throws IOException {
        socket.send(encode(event));
    }

    static byte[] encode(Event event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        field(out, "MESSAGE", event.message());
        field(out, "PRIORITY", Integer.toString(event.severity().syslogPriority()));
        field(out, "SYSLOG_IDENTIFIER", "driftguard");
        field(out, "DRIFTGUARD_KIND", event.kind().wire());
        field(out, "DRIFTGUARD_ACTION", event.action().wire());
        field(out, "DRIFTGUARD_SEVERITY", event.severity().wire());
        field(out, "DRIFTGUARD_POLICY", event.policy());
        field(out, "DRIFTGUARD_RULE", event.rule());
        field(out, "DRIFTGUARD_CONTAINER_ID", event.containerId());
        field(out, "DRIFTGUARD_CONTAINER_NAME", event.containerName());
        field(out, "DRIFTGUARD_IMAGE", event.image());
        field(out, "DRIFTGUARD_IMAGE_ID", event.imageId());
        ProcessInfo process = event.process();
        if (process != null) {
            field(out, "DRIFTGUARD_PROCESS_PID", Integer.toString(process.pid()));
            field(out, "DRIFTGUARD_PROCESS_PATH", process.path());
            field(out, "DRIFTGUARD_PROCESS_UID", process.uid() == null ? null : process.uid().toString());
        }
        event.details().forEach((key, value) -> field(out, "DRIFTGUARD_" + fieldName(key), value));
        if (event.repeats() != null) {
            field(out, "DRIFTGUARD_COUNT", Long.toString(event.repeats().count()));
            field(out, "DRIFTGUARD_FIRST_TIME", event.repeats().first().toString());
            field(out, "DRIFTGUARD_LAST_TIME", event.repeats().last().toString());
        }
        field(out, "DRIFTGUARD_EVENT", EventJson.toJson(event));
        return out.toByteArray();
    }

    /** Journal field names are upper-case letters, digits and underscores. */
    static String fieldName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    /** Writes KEY=value, or the length-prefixed binary form when the value holds a newline. */
    private static void field(ByteArrayOutputStream out, String key, String value) {
        if (value == null) {
            return;
        }
        byte[] name = key.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(name);
        if (value.indexOf('\n') < 0) {
            out.write('=');
            out.writeBytes(bytes);
        } else {
            out.write('\n');
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes.length).array());
            out.writeBytes(bytes);
        }
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
