package io.driftguard.daemon.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The records driftguard-runtime's hook leaves in SOCKET.fallbacks/ when it could not get an
 * answer (the daemon down, too slow, or unable to attach): each becomes an event and is removed.
 * The hook also logs each one to syslog at once, for when the daemon never comes back.
 */
final class HookFallbacks {
    private static final Log LOG = Log.of(HookFallbacks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RECORD = 4096;
    /** Records turned into events per sweep; the rest wait for the next one, 10 s later. */
    private static final int PER_SWEEP = 200;

    private final Path folder;
    private final Consumer<Event> events;
    private final AtomicLong count = new AtomicLong();

    HookFallbacks(Path folder, Consumer<Event> events) {
        this.folder = folder;
        this.events = events;
    }

    /** Where the hook writes (driftguard-runtime.c: record_fallback). */
    static Path folderOf(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".fallbacks");
    }

    long count() {
        return count.get();
    }

    void sweep() {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int done = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (done++ >= PER_SWEEP) {
                    break;
                }
                report(file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("reading the start hook's fallbacks in " + folder + ": " + e.getMessage());
        }
    }

    private void report(Path file) throws IOException {
        JsonNode record = null;
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                record = JSON.readTree(in.readNBytes(MAX_RECORD));
            } catch (IOException unreadable) {
                record = null;
            }
        }
        Files.deleteIfExists(file);
        String id = record == null ? "(unreadable record)" : Printable.of(record.path("id").asText("(unknown)"));
        boolean closed = record == null || !"open".equals(record.path("fail").asText());
        String reason = record == null ? "unreadable record " + Printable.of(file.getFileName().toString())
                : Printable.of(record.path("reason").asText(""));
        long total = count.incrementAndGet();
        events.accept(Event.builder(EventKind.DAEMON, EventAction.ALERTED, closed ? Severity.MEDIUM : Severity.HIGH)
                .container(id.matches("[0-9a-f]{64}") ? id : null, null, null, null)
                .detail("fallback", closed ? "refused" : "started")
                .detail("fail", closed ? "closed" : "open")
                .detail("reason", reason)
                .detail("hook_time_ms", record == null ? null : record.path("time_ms").asText(null))
                .detail("count", Long.toString(total))
                .message("The start hook got no answer for container " + id + " (" + reason + "): "
                        + (closed ? "its start was refused (fail = closed)"
                        : "it started without confirmed enforcement (fail = open); the daemon attaches on Docker's start event"))
                .build());
    }
}
