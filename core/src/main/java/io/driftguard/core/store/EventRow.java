package io.driftguard.core.store;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventJson;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * An event as the events tables hold it: the columns that queries filter on, and the whole event
 * as JSON. Written once here for the store, a host's outbox and the batches it sends.
 */
public record EventRow(long timeMs, String kind, String action, String containerId, String containerName, String policy,
                       String json) {
    /** The column names in the order {@link #bind} sets them. */
    public static final String COLUMNS = "time_ms, kind, action, container_id, container_name, policy, json";
    public static final int COUNT = 7;

    public static EventRow of(Event event) {
        return new EventRow(event.time().toEpochMilli(), event.kind().wire(), event.action().wire(), event.containerId(),
                event.containerName(), event.policy(), EventJson.toJson(event));
    }

    /** Reads the {@link #COLUMNS} starting at column {@code first}. */
    public static EventRow read(ResultSet rs, int first) throws SQLException {
        return new EventRow(rs.getLong(first), rs.getString(first + 1), rs.getString(first + 2), rs.getString(first + 3),
                rs.getString(first + 4), rs.getString(first + 5), rs.getString(first + 6));
    }

    /** Sets the {@link #COLUMNS} as parameters {@code first} to {@code first + COUNT - 1}. */
    public void bind(PreparedStatement statement, int first) throws SQLException {
        statement.setLong(first, timeMs);
        statement.setString(first + 1, kind);
        statement.setString(first + 2, action);
        statement.setString(first + 3, containerId);
        statement.setString(first + 4, containerName);
        statement.setString(first + 5, policy);
        statement.setString(first + 6, json);
    }
}
