package io.driftguard.daemon.output;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One {@code [[output]]} of driftguard.toml: where a copy of every event goes besides the store
 * and journald. {@code name} tells outputs apart in drop events and metrics; {@code queueSize}
 * bounds the events waiting for it, past which they are dropped and counted.
 */
public sealed interface OutputSettings {
    String name();

    int queueSize();

    /** JSON lines appended to {@code path} (0600), reopened on SIGHUP and when the file is rotated away. */
    record File(String name, int queueSize, Path path) implements OutputSettings {
    }

    /** RFC 5424 messages to {@code address}, with {@code facility} (0 kern .. 23 local7); {@code json} puts the whole event in MSG. */
    record Syslog(String name, int queueSize, SyslogAddress address, int facility, boolean json) implements OutputSettings {
    }

    /**
     * Each event POSTed as Falcosidekick's JSON to {@code url}; a failed post is tried {@code retries}
     * more times, waiting {@code retryDelay} and then twice as long each time.
     */
    record Webhook(String name, int queueSize, URI url, Duration timeout, int retries, Duration retryDelay)
            implements OutputSettings {
    }
}
