package io.driftguard.daemon.baseline;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.StoreSettings;
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
import java.util.function.Consumer;

/**
 * Image baselines and process profiles in the store, keyed by image id. Used at attach time, by the
 * profile recorder thread and by the CLI; never on an exec decision path. The store opens its own
 * {@link Database}, so that its writers never wait for the event writer's connection.
 */
public final class BaselineStore implements AutoCloseable {
    private static final Consumer<Digest> UNHEARD = image -> { };

    private final Database database;
    private final boolean owned;
    private final Consumer<Digest> changed;

    private BaselineStore(Database database, boolean owned, Consumer<Digest> changed) {
        this.database = database;
        this.owned = owned;
        this.changed = changed;
    }

    public static BaselineStore open(java.nio.file.Path file) throws java.io.IOException, SQLException {
        return open(new StoreSettings.Sqlite(file));
    }

    public static BaselineStore open(StoreSettings settings) throws java.io.IOException, SQLException {
        return open(settings, UNHEARD);
    }

    /**
     * The store, telling {@code changed} of each image whose baseline or profile this instance
     * saves, before and after each write; a host that shares its store hears so what it has to
     * send. Before: a copy from the shared store received meanwhile sees the image pending and
     * leaves it alone ({@link #replaceProfileIf}). After: a send that read the image before the
     * write sends it again.
     */
    public static BaselineStore open(StoreSettings settings, Consumer<Digest> changed) throws java.io.IOException, SQLException {
        Database database = Database.open(settings);
        try {
            database.migrate("baseline");
        } catch (SQLException e) {
            database.close();
            throw e;
        }
        return new BaselineStore(database, true, changed);
    }

    /** The baseline tables of a database the caller keeps open (and closes), migrated now. */
    public static BaselineStore on(Database database) throws SQLException {
        database.migrate("baseline");
        return new BaselineStore(database, false, UNHEARD);
    }

    /** The store's private (0700) folder. */
    public java.nio.file.Path folder() {
        return database.settings().folder();
    }

    public Optional<ImageBaseline> load(Digest imageId) throws SQLException {
        try (Connection c = database.connection()) {
            return load(c, imageId);
        }
    }

    private static Optional<ImageBaseline> load(Connection c, Digest imageId) throws SQLException {
        String ref;
        Instant builtAt;
        long buildMs;
        try (PreparedStatement q = c.prepareStatement("SELECT image_ref, built_at_ms, build_ms FROM baseline_image WHERE image_id = ?")) {
            q.setString(1, imageId.toString());
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
            q.setString(1, imageId.toString());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    files.put(rs.getString(1), new BaselineFile(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                            rs.getInt(5), rs.getInt(6), rs.getLong(7), rs.getLong(8)));
                }
            }
        }
        return Optional.of(new ImageBaseline(imageId, ref, files, builtAt, buildMs));
    }

    /**
     * Stores a baseline in one transaction, replacing an older one of the same image. A failure
     * leaves the old one: the pool rolls back what a returned connection did not commit.
     */
    public void save(ImageBaseline baseline) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement d = c.prepareStatement("DELETE FROM baseline_image WHERE image_id = ?")) {
                d.setString(1, baseline.imageId().toString());
                d.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement(
                    "INSERT INTO baseline_image(image_id, image_ref, built_at_ms, build_ms, files) VALUES(?,?,?,?,?)")) {
                i.setString(1, baseline.imageId().toString());
                i.setString(2, baseline.imageRef());
                i.setLong(3, baseline.builtAt().toEpochMilli());
                i.setLong(4, baseline.buildMillis());
                i.setLong(5, baseline.files().size());
                i.executeUpdate();
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO baseline_file(image_id, path, sha256, size, mode, uid, gid, "
                    + "mtime_ns, ctime_ns) VALUES(?,?,?,?,?,?,?,?,?)")) {
                for (BaselineFile f : baseline.files().values()) {
                    i.setString(1, baseline.imageId().toString());
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
        }
        changed.accept(baseline.imageId());
    }

    /** When each stored baseline was built, by image id. */
    public Map<Digest, Instant> baselinesBuilt() throws SQLException {
        Map<Digest, Instant> built = new HashMap<>();
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement("SELECT image_id, built_at_ms FROM baseline_image");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                built.put(storedId(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2)));
            }
        }
        return built;
    }

    /** Image ids that have a profile state or entries. */
    public List<Digest> profiledImages() throws SQLException {
        List<Digest> ids = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT image_id FROM profile_state UNION SELECT image_id FROM profile_entry");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                ids.add(storedId(rs.getString(1)));
            }
        }
        return ids;
    }

    /**
     * Makes an image's profile exactly {@code state} (none: no profile) and {@code entries}, in one
     * transaction: a reader never sees it half replaced.
     */
    public void replaceProfile(Digest imageId, Optional<ProfileState> state, List<ProfileEntry> entries) throws SQLException {
        replaceProfileIf(imageId, state, entries, c -> true);
    }

    /** A condition read inside a transaction that already holds the store's write lock. */
    @FunctionalInterface
    public interface Guard {
        boolean holds(Connection c) throws SQLException;
    }

    /**
     * As {@link #replaceProfile}, but only if {@code guard} holds once the transaction has the
     * write lock (its first statement writes), so that no write of another connection comes
     * between the check and the replacement; false, and nothing changed, when it does not hold.
     */
    public boolean replaceProfileIf(Digest imageId, Optional<ProfileState> state, List<ProfileEntry> entries, Guard guard)
            throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                deleteProfile(c, imageId);
                if (!guard.holds(c)) {
                    c.rollback();
                    return false;
                }
                if (state.isPresent()) {
                    upsertProfileState(c, state.get());
                }
                insertProfileEntries(c, imageId, entries);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Image ids whose stored baseline or profile was made for {@code imageRef}. */
    public List<Digest> imageIdsFor(String imageRef) throws SQLException {
        List<Digest> ids = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT image_id FROM baseline_image WHERE image_ref = ? UNION SELECT image_id FROM profile_state WHERE image_ref = ?")) {
            q.setString(1, imageRef);
            q.setString(2, imageRef);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(storedId(rs.getString(1)));
                }
            }
        }
        return ids;
    }

    public Optional<ProfileState> profileState(Digest imageId) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT image_ref, learn_from_ms, learn_until_ms, learn_count FROM profile_state WHERE image_id = ?")) {
            q.setString(1, imageId.toString());
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

    public void saveProfileState(ProfileState state) throws SQLException {
        changed.accept(state.imageId());
        try (Connection c = database.connection()) {
            upsertProfileState(c, state);
        }
        changed.accept(state.imageId());
    }

    private void upsertProfileState(Connection c, ProfileState state) throws SQLException {
        String upsert = database.dialect().upsert("profile_state",
                List.of("image_id", "image_ref", "learn_from_ms", "learn_until_ms", "learn_count"), List.of("image_id"),
                List.of("image_ref", "learn_from_ms", "learn_until_ms", "learn_count"));
        try (PreparedStatement u = c.prepareStatement(upsert)) {
            u.setString(1, state.imageId().toString());
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

    public List<ProfileEntry> profileEntries(Digest imageId) throws SQLException {
        List<ProfileEntry> entries = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement("SELECT path, sha256, invoked_name, parent, uid, "
                + "first_seen_ms FROM profile_entry WHERE image_id = ? ORDER BY path, invoked_name")) {
            q.setString(1, imageId.toString());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    entries.add(new ProfileEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
        }
        return entries;
    }

    public void addProfileEntries(Digest imageId, List<ProfileEntry> entries) throws SQLException {
        changed.accept(imageId);
        try (Connection c = database.connection()) {
            insertProfileEntries(c, imageId, entries);
        }
        changed.accept(imageId);
    }

    private void insertProfileEntries(Connection c, Digest imageId, List<ProfileEntry> entries) throws SQLException {
        String insert = database.dialect().insertIfAbsent("profile_entry",
                List.of("image_id", "path", "sha256", "invoked_name", "parent", "uid", "first_seen_ms"),
                List.of("image_id", "path", "invoked_name", "parent", "uid"));
        try (PreparedStatement i = c.prepareStatement(insert)) {
            for (ProfileEntry e : entries) {
                i.setString(1, imageId.toString());
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
    public void forgetBaseline(Digest imageId) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement d = c.prepareStatement("DELETE FROM baseline_image WHERE image_id = ?")) {
            d.setString(1, imageId.toString());
            d.executeUpdate();
        }
    }

    /** Forgets the profile of an image (entries and learning state); the file baseline stays. */
    public void resetProfile(Digest imageId) throws SQLException {
        try (Connection c = database.connection()) {
            deleteProfile(c, imageId);
        }
    }

    private static void deleteProfile(Connection c, Digest imageId) throws SQLException {
        for (String table : List.of("profile_entry", "profile_state")) {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table + " WHERE image_id = ?")) {
                d.setString(1, imageId.toString());
                d.executeUpdate();
            }
        }
    }

    /** An image id read back from the store; a row that is not a digest is named, not passed on. */
    private static Digest storedId(String text) throws SQLException {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SQLException("store: image_id '" + text + "' is not an image id: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws SQLException {
        if (owned) {
            database.close();
        }
    }
}
