package io.driftguard.daemon.fleet;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Images whose baseline or profile changed on this host and has not reached the shared store yet,
 * kept in the local cache so that what a host learnt while the database was away is sent later,
 * even after a restart. Each change bumps a mark; clearing names the mark it sent.
 */
public final class PendingImages {
    private final Database local;

    public PendingImages(Database local) {
        this.local = local;
    }

    public void mark(Digest image) throws SQLException {
        try (Connection c = local.connection(); PreparedStatement u = c.prepareStatement(
                "INSERT INTO fleet_pending(image_id, mark) VALUES(?, 1) ON CONFLICT(image_id) DO UPDATE SET mark = mark + 1")) {
            u.setString(1, image.toString());
            u.executeUpdate();
        }
    }

    /** Each pending image and its mark now. */
    public Map<Digest, Long> all() throws SQLException {
        Map<Digest, Long> pending = new LinkedHashMap<>();
        try (Connection c = local.connection(); PreparedStatement q = c.prepareStatement("SELECT image_id, mark FROM fleet_pending");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                pending.put(Digest.parse(rs.getString(1)), rs.getLong(2));
            }
        }
        return pending;
    }

    /** Whether the image is pending, read on {@code c} (a connection to the local cache, inside the caller's transaction). */
    static boolean isPending(Connection c, Digest image) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM fleet_pending WHERE image_id = ?")) {
            q.setString(1, image.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The image was sent as it was at {@code mark}; a later change keeps it pending. */
    public void sent(Digest image, long mark) throws SQLException {
        try (Connection c = local.connection(); PreparedStatement d = c.prepareStatement(
                "DELETE FROM fleet_pending WHERE image_id = ? AND mark = ?")) {
            d.setString(1, image.toString());
            d.setLong(2, mark);
            d.executeUpdate();
        }
    }
}
