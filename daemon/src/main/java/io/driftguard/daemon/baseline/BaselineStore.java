package io.driftguard.daemon.baseline;

import io.driftguard.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image baselines and process profiles in SQLite, keyed by image id. Used at attach time, by the
 * profile recorder thread and by the CLI; never on an exec decision path. All access is
 * synchronized on the store, which owns its own connection.
 */
public final class BaselineStore implements AutoCloseable {
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE baseline_image (image_id TEXT PRIMARY KEY, image_ref TEXT NOT NULL, built_at_ms INTEGER NOT NULL, "
                    + "build_ms INTEGER NOT NULL, files INTEGER NOT NULL)",
            "CREATE TABLE baseline_file (image_id TEXT NOT NULL REFERENCES baseline_image(image_id) ON DELETE CASCADE, "
                    + "path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mode INTEGER NOT NULL, "
                    + "uid INTEGER NOT NULL, gid INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, "
                    + "PRIMARY KEY (image_id, path)) WITHOUT ROWID",
            "CREATE TABLE profile_state (image_id TEXT PRIMARY KEY, image_ref TEXT NOT NULL, learn_from_ms INTEGER NOT NULL, "
                    + "learn_until_ms INTEGER, learn_count INTEGER)",
            "CREATE TABLE profile_entry (image_id TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT, invoked_name TEXT NOT NULL, "
                    + "parent TEXT NOT NULL, uid INTEGER NOT NULL, first_seen_ms INTEGER NOT NULL, "
                    + "PRIMARY KEY (image_id, path, invoked_name, parent, uid)) WITHOUT ROWID");

    private final Database database;

    private BaselineStore(Database database) {
        this.database = database;
    }

    public static BaselineStore open(java.nio.file.Path file) throws java.io.IOException, SQLException {
        Database database = Database.open(file);
        try {
            database.migrate("baseline", MIGRATIONS);
        } catch (SQLException e) {
            database.close();
            throw e;
        }
        return new BaselineStore(database);
    }

    /** The store's private (0700) folder. */
    public java.nio.file.Path folder() {
        return database.file().getParent();
    }

    public synchronized Optional<ImageBaseline> load(String imageId) throws SQLException {
        Connection c = database.connection();
        String ref;
        Instant builtAt;
        long buildMs;
        try (PreparedStatement q = c.prepareStatement("SELECT image_ref, built_at_ms, build_ms FROM baseline_image WHERE image_id = ?")) {
            q.setString(1, imageId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ref = rs.getString(1);
                builtAt = Instant.ofEpochMilli(rs.getLong(2));
                buildMs = rs.getLong(3);
            }
        }
        Map<String, BaselineFile> files = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT path, sha256, size, mode, uid, gid, mtime_ns, ctime_ns FROM baseline_file WHERE image_id = ?")) {
            q.setString(1, imageId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    files.put(rs.getString(1), new BaselineFile(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                            rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getLong(8)));
                }
            }
        }
        return Optional.of(new ImageBaseline(imageId, ref, files, builtAt, buildMs));
    }

    /** Stores a baseline in one transaction, replacing an older one of the same image. */
    public synchronized void save(ImageBaseline baseline) throws SQLException {
        Connection c = database.connection();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM baseline_image WHERE image_id = ?")) {
                d.setString(1, baseline.imageId());
                d.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement(
                    "INSERT INTO baseline_image(image_id, image_ref, built_at_ms, build_ms, files) VALUES(?,?,?,?,?)")) {
                i.setString(1, baseline.imageId());
                i.setString(2, baseline.imageRef());
                i.setLong(3, baseline.builtAt().toEpochMilli());
                i.setLong(4, baseline.buildMillis());
                i.setLong(5, baseline.files().size());
                i.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO baseline_file(image_id, path, sha256, size, mode, uid, gid, "
                    + "mtime_ns, ctime_ns) VALUES(?,?,?,?,?,?,?,?,?)")) {
                for (BaselineFile f : baseline.files().values()) {
                    i.setString(1, baseline.imageId());
                    i.setString(2, f.path());
                    i.setString(3, f.sha256());
                    i.setLong(4, f.size());
                    i.setInt(5, f.mode());
                    i.setInt(6, f.uid());
                    i.setInt(7, f.gid());
                    i.setLong(8, f.mtimeNanos());
                    i.setLong(9, f.ctimeNanos());
                    i.addBatch();
                }
                i.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Image ids whose stored baseline or profile was made for {@code imageRef}. */
    public synchronized List<String> imageIdsFor(String imageRef) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement q = database.connection().prepareStatement(
                "SELECT image_id FROM baseline_image WHERE image_ref = ? UNION SELECT image_id FROM profile_state WHERE image_ref = ?")) {
            q.setString(1, imageRef);
            q.setString(2, imageRef);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    public synchronized Optional<ProfileState> profileState(String imageId) throws SQLException {
        try (PreparedStatement q = database.connection().prepareStatement(
                "SELECT image_ref, learn_from_ms, learn_until_ms, learn_count FROM profile_state WHERE image_id = ?")) {
            q.setString(1, imageId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long until = rs.getLong(3);
                Instant untilTime = rs.wasNull() ? null : Instant.ofEpochMilli(until);
                long count = rs.getLong(4);
                Long countLimit = rs.wasNull() ? null : count;
                return Optional.of(new ProfileState(imageId, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), untilTime, countLimit));
            }
        }
    }

    public synchronized void saveProfileState(ProfileState state) throws SQLException {
        try (PreparedStatement u = database.connection().prepareStatement("INSERT INTO profile_state(image_id, image_ref, "
                + "learn_from_ms, learn_until_ms, learn_count) VALUES(?,?,?,?,?) ON CONFLICT(image_id) DO UPDATE SET "
                + "image_ref = excluded.image_ref, learn_from_ms = excluded.learn_from_ms, "
                + "learn_until_ms = excluded.learn_until_ms, learn_count = excluded.learn_count")) {
            u.setString(1, state.imageId());
            u.setString(2, state.imageRef());
            u.setLong(3, state.learnFrom().toEpochMilli());
            if (state.learnUntil() == null) {
                u.setNull(4, java.sql.Types.INTEGER);
            } else {
                u.setLong(4, state.learnUntil().toEpochMilli());
            }
            if (state.learnCount() == null) {
                u.setNull(5, java.sql.Types.INTEGER);
            } else {
                u.setLong(5, state.learnCount());
            }
            u.executeUpdate();
        }
    }

    public synchronized List<ProfileEntry> profileEntries(String imageId) throws SQLException {
        List<ProfileEntry> entries = new ArrayList<>();
        try (PreparedStatement q = database.connection().prepareStatement("SELECT path, sha256, invoked_name, parent, uid, "
                + "first_seen_ms FROM profile_entry WHERE image_id = ? ORDER BY path, invoked_name")) {
            q.setString(1, imageId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    entries.add(new ProfileEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
        }
        return entries;
    }

    public synchronized void addProfileEntries(String imageId, List<ProfileEntry> entries) throws SQLException {
        try (PreparedStatement i = database.connection().prepareStatement("INSERT OR IGNORE INTO profile_entry(image_id, path, "
                + "sha256, invoked_name, parent, uid, first_seen_ms) VALUES(?,?,?,?,?,?,?)")) {
            for (ProfileEntry e : entries) {
                i.setString(1, imageId);
                i.setString(2, e.path());
                i.setString(3, e.sha256());
                i.setString(4, e.invokedName());
                i.setString(5, e.parent());
                i.setInt(6, e.uid());
                i.setLong(7, e.firstSeen().toEpochMilli());
                i.addBatch();
            }
            i.executeBatch();
        }
    }

    /** Forgets the file baseline of an image; it is built again when next needed. */
    public synchronized void forgetBaseline(String imageId) throws SQLException {
        try (PreparedStatement d = database.connection().prepareStatement("DELETE FROM baseline_image WHERE image_id = ?")) {
            d.setString(1, imageId);
            d.executeUpdate();
        }
    }

    /** Forgets the profile of an image (entries and learning state); the file baseline stays. */
    public synchronized void resetProfile(String imageId) throws SQLException {
        for (String table : List.of("profile_entry", "profile_state")) {
            try (PreparedStatement d = database.connection().prepareStatement("DELETE FROM " + table + " WHERE image_id = ?")) {
                d.setString(1, imageId);
                d.executeUpdate();
            }
        }
    }

    @Override
    public void close() throws SQLException {
        database.close();
    }
}
