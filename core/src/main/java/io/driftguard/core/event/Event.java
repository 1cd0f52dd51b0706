package io.driftguard.core.event;

import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One decision or finding, as stored and as sent to journald. Fields that do not apply are null
 * (a registry event has no container); {@code details} holds what is specific to one kind, such as
 * a network destination or a tag's digests. {@code repeats} is set when the event stands for several
 * identical ones (aggregated, or counted past a rate limit).
 */
public record Event(
        Instant time,
        String host,
        EventKind kind,
        EventAction action,
        Severity severity,
        String containerId,
        String containerName,
        String image,
        String imageId,
        String policy,
        String rule,
        ProcessInfo process,
        String message,
        Map<String, String> details,
        Repeats repeats) {

    public Event {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        details = details == null ? Map.of() : new TreeMap<>(details);
    }

    /** A builder, because most events fill only some fields. */
    public static Builder builder(EventKind kind, EventAction action, Severity severity) {
        return new Builder(kind, action, severity);
    }

    /** A builder holding this event's fields, to make a changed copy (a detail added, the process filled in). */
    public Builder toBuilder() {
        Builder copy = new Builder(kind, action, severity).time(time).host(host)
                .container(containerId, containerName, image, imageId).policy(policy, rule).process(process)
                .repeats(repeats).message(message);
        details.forEach(copy::detail);
        return copy;
    }

    /** Collects the fields of an event; {@link #message(String)} and then {@link #build()} finish it. */
    public static final class Builder {
        private final EventKind kind;
        private final EventAction action;
        private final Severity severity;
        private Instant time = Instant.now();
        private String host = HostName.get();
        private String containerId;
        private String containerName;
        private String image;
        private String imageId;
        private String policy;
        private String rule;
        private ProcessInfo process;
        private String message;
        private final Map<String, String> details = new TreeMap<>();
        private Repeats repeats;

        private Builder(EventKind kind, EventAction action, Severity severity) {
            this.kind = kind;
            this.action = action;
            this.severity = severity;
        }

        public Builder time(Instant value) {
            time = value;
            return this;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder container(String id, String name, String imageRef, String imageDigestId) {
            containerId = id;
            containerName = name;
            image = imageRef;
            imageId = imageDigestId;
            return this;
        }

        /** The container by its typed id; {@code imageDigestId} may be null. */
        public Builder container(ContainerId id, String name, String imageRef, Digest imageDigestId) {
            return container(id.toString(), name, imageRef, imageDigestId == null ? null : imageDigestId.toString());
        }

        public Builder policy(String policyName, String ruleName) {
            policy = policyName;
            rule = ruleName;
            return this;
        }

        public Builder process(ProcessInfo value) {
            process = value;
            return this;
        }

        public Builder detail(String key, String value) {
            if (value != null) {
                details.put(key, value);
            }
            return this;
        }

        public Builder repeats(Repeats value) {
            repeats = value;
            return this;
        }

        public Builder message(String value) {
            message = value;
            return this;
        }

        public Event build() {
            return new Event(time, host, kind, action, severity, containerId, containerName, image, imageId,
                    policy, rule, process, message, details, repeats);
        }
    }
}
