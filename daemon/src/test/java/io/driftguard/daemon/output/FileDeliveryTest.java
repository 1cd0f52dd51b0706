package io.driftguard.daemon.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDeliveryTest {
    @TempDir
    Path dir;

    private static Event event(String message) {
        return Event.builder(EventKind.FILE, EventAction.ALERTED, Severity.MEDIUM).message(message).build();
    }

    @Test
    void jsonLinesOwnerOnlyFollowingRotation() throws Exception {
        Path file = dir.resolve("events.json");
        try (FileDelivery delivery = new FileDelivery(file)) {
            delivery.deliver(event("one"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

            Files.move(file, dir.resolve("events.json.1")); // logrotate without copytruncate
            delivery.deliver(event("two"));
            Files.move(file, dir.resolve("events.json.gone"));
            Files.delete(dir.resolve("events.json.gone"));
            delivery.deliver(event("three"));

            Files.move(file, dir.resolve("events.json.2"));
            Files.createFile(file); // a new file in its place: the next write goes there
            delivery.deliver(event("four"));
            delivery.reopen();
            delivery.deliver(event("five"));
        }
        assertThat(messages(dir.resolve("events.json.1"))).containsExactly("one");
        assertThat(messages(dir.resolve("events.json.2"))).containsExactly("three"); // "two" went with the deleted file
        assertThat(messages(file)).containsExactly("four", "five");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private static List<String> messages(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(l -> EventJson.fromJson(l).message()).toList();
    }
}
