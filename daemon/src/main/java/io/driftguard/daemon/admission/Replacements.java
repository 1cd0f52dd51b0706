package io.driftguard.daemon.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.text.Printable;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Configuration drift: remembers what each created container was made of, by name and by Compose
 * project and service, and reports what a container that replaces one changes. Kept in the
 * store, so that a replacement after a daemon restart is still seen.
 */
public final class Replacements {
    private static final Log LOG = Log.of(Replacements.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROJECT = "com.docker.compose.project";
    static final String SERVICE = "com.docker.compose.service";

    private final Database database;
    private final EngineLookup engine;
    private final Consumer<Event> events;

    public Replacements(Database database, EngineLookup engine, Consumer<Event> events) throws SQLException {
        database.migrate("admission");
        this.database = database;
        this.engine = engine;
        this.events = events;
    }

    /** A create request was judged: a refused replacement is reported now, an allowed one once it is made. */
    void replacing(String name, ContainerSettings settings, boolean refused) {
        if (refused) {
            previous(name, settings).ifPresent(old -> report(name, old, summary(settings), true));
        }
    }

    /** A create succeeded: report what changed against the container it replaces, and remember it. */
    void created(String name, ContainerSettings settings, byte[] response) {
        SettingsSummary now = summary(settings);
        String shown = name.isEmpty() ? createdId(response) : name;
        previous(name, settings).filter(old -> !old.equals(now)).ifPresent(old -> report(shown, old, now, false));
        remember(name, settings, now);
    }

    /** A running container seen at start or reload: remembered unless something newer is. */
    void seen(String name, ContainerSettings settings) {
        if (previous(name, settings).isEmpty()) {
            remember(name, settings, summary(settings));
        }
    }

    private SettingsSummary summary(ContainerSettings settings) {
        String digest = "";
        try {
            digest = engine.image(settings.image()).map(image -> image.repoDigests().isEmpty() ? image.id()
                    : image.repoDigests().get(0).substring(image.repoDigests().get(0).indexOf('@') + 1)).orElse("");
        } catch (EngineLookup.LookupFailed e) {
            LOG.debug("no digest for " + settings.image() + ": " + e.getMessage());
        }
        return SettingsSummary.of(settings, digest);
    }

    private static List<String> keys(String name, ContainerSettings settings) {
        List<String> keys = new ArrayList<>();
        if (!name.isEmpty()) {
            keys.add("name:" + name);
        }
        String project = settings.labels().get(PROJECT);
        String service = settings.labels().get(SERVICE);
        if (project != null && service != null) {
            keys.add("compose:" + project + "/" + service);
        }
        return keys;
    }

    private Optional<SettingsSummary> previous(String name, ContainerSettings settings) {
        for (String key : keys(name, settings)) {
            try (Connection c = database.connection();
                 PreparedStatement q = c.prepareStatement("SELECT summary FROM admission_containers WHERE key = ?")) {
                q.setString(1, key);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(JSON.readValue(rs.getString(1), SettingsSummary.class));
                    }
                }
            } catch (SQLException | JsonProcessingException e) {
                LOG.warn("cannot read the earlier settings of " + key + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void remember(String name, ContainerSettings settings, SettingsSummary summary) {
        for (String key : keys(name, settings)) {
            try (Connection c = database.connection();
                 PreparedStatement u = c.prepareStatement(
                    "INSERT INTO admission_containers(key, name, summary, updated_ms) VALUES(?,?,?,?) "
                            + "ON CONFLICT(key) DO UPDATE SET name = excluded.name, summary = excluded.summary, "
                            + "updated_ms = excluded.updated_ms")) {
                u.setString(1, key);
                u.setString(2, name);
                u.setString(3, JSON.writeValueAsString(summary));
                u.setLong(4, System.currentTimeMillis());
                u.executeUpdate();
            } catch (SQLException | JsonProcessingException e) {
                LOG.warn("cannot remember the settings of " + key + ": " + e.getMessage());
            }
        }
    }

    private void report(String name, SettingsSummary old, SettingsSummary now, boolean refused) {
        List<String> changes = old.changesTo(now);
        if (changes.isEmpty()) {
            return;
        }
        String message = "Configuration drift of container " + name + (refused ? " (the change is refused)" : "") + ": "
                + String.join("; ", changes);
        events.accept(Event.builder(EventKind.DRIFT, refused ? EventAction.BLOCKED : EventAction.ALERTED,
                        refused ? Severity.HIGH : Severity.MEDIUM)
                .container((String) null, Printable.of(name), Printable.of(now.image()), (String) null)
                .policy(null, "configuration")
                .detail("finding", "configuration_drift")
                .detail("old_image", Printable.of(old.image())).detail("old_digest", old.digest())
                .detail("new_image", Printable.of(now.image())).detail("new_digest", now.digest())
                .detail("changes", AdmissionControl.message(String.join("; ", changes)))
                .message(AdmissionControl.message(message)).build());
    }

    private static String createdId(byte[] response) {
        try {
            JsonNode answer = JSON.readTree(response);
            return answer.path("Id").asText("");
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
