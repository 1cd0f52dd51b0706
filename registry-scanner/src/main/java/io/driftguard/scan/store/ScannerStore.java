package io.driftguard.scan.store;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.Dialect;
import io.driftguard.core.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scanner's state in the store both programs share: every digest each tag has pointed to with
 * first and last seen time, the approved digest per tag, the platform manifests of each index, the
 * blobs and manifests verified so far, and the runs. Calls come from several scan threads; each
 * borrows a connection from the {@link Database} for the call.
 */
public final class ScannerStore {
    static final String COMPONENT = "registry";
    /** An approval's columns, as {@link #approval} reads them. */
    private static final String APPROVAL = "approved_digest, approved_ms, approved_by, approved_until_ms";
    /** A tag's state, as {@link #state(ResultSet)} reads it, and its name (column 7). */
    private static final String STATE = "SELECT current_digest, tamper IS NOT NULL, " + APPROVAL + ", tag FROM registry_tags";

    private final Database database;
    private final Clock clock;

    public ScannerStore(Database database) throws SQLException {
        this(database, Clock.systemUTC());
    }

    /** {@code clock} tells which approvals have expired. */
    public ScannerStore(Database database, Clock clock) throws SQLException {
        database.migrate(COMPONENT);
        if (database.dialect() == Dialect.POSTGRESQL) {
            // The trigger that tells a fleet's hosts to re-read; a component of its own, so that the
            // scanner's own versions stay its own.
            database.migrate(COMPONENT + "_notify");
        }
        this.database = database;
        this.clock = clock;
    }

    /** Where the tag points, its approved digest (an expired approval is none) and whether tamper is open. */
    public TagState state(TagKey key) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement q = db.prepareStatement(
                STATE + " WHERE registry = ? AND repository = ? AND tag = ?")) {
            bindKey(q, key, 1);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? state(rs) : TagState.NEW;
            }
        }
    }

    /**
     * The {@link #state} of every tag of the repository that the store knows, by tag: one query
     * for a repository's tags, where a run of many tags would otherwise make one each.
     */
    public Map<String, TagState> states(String registry, String repository) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement q = db.prepareStatement(
                STATE + " WHERE registry = ? AND repository = ?")) {
            q.setString(1, registry);
            q.setString(2, repository);
            Map<String, TagState> states = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(7), state(rs));
                }
            }
            return states;
        }
    }

    private TagState state(ResultSet rs) throws SQLException {
        return new TagState(digest(rs.getString(1)), approval(rs, 3).filter(a -> a.activeAt(clock.instant())).map(Approval::digest),
                rs.getBoolean(2));
    }

    /**
     * Records that the tag points to {@code digest} now; it becomes the tag's current digest, in
     * one transaction. A scan calls it for tags that are new or moved; a tag still at its digest
     * goes through {@link #recordStillSeen}.
     */
    public void recordSeen(TagKey key, Digest digest, String mediaType, Instant now) throws SQLException {
        try (Connection db = database.connection()) {
            Transaction.run(db, () -> recordSeen(db, key, digest, mediaType, now));
        }
    }

    /**
     * Records that each tag was seen {@code now} at the digest that is still its current one (its
     * last-seen time): one transaction for many tags; a tag whose current digest is another by now
     * is left as it is.
     */
    public void recordStillSeen(Collection<TagKey> keys, Instant now) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (Connection db = database.connection();
             PreparedStatement seen = db.prepareStatement("UPDATE registry_tag_digests SET last_seen_ms = ? WHERE (tag_id, digest) = "
                     + "(SELECT id, current_digest FROM registry_tags WHERE registry = ? AND repository = ? AND tag = ?)")) {
            Transaction.run(db, () -> {
                for (TagKey key : keys) {
                    seen.setLong(1, now.toEpochMilli());
                    bindKey(seen, key, 2);
                    seen.addBatch();
                }
                seen.executeBatch();
            });
        }
    }

    private void recordSeen(Connection db, TagKey key, Digest digest, String mediaType, Instant now) throws SQLException {
        long tagId = tagId(db, key);
        try (PreparedStatement current = db.prepareStatement("UPDATE registry_tags SET current_digest = ? WHERE id = ?");
             PreparedStatement seen = db.prepareStatement(database.dialect().upsert("registry_tag_digests",
                     List.of("tag_id", "digest", "media_type", "first_seen_ms", "last_seen_ms"), List.of("tag_id", "digest"),
                     List.of("last_seen_ms")))) {
            current.setString(1, digest.toString());
            current.setLong(2, tagId);
            current.executeUpdate();
            seen.setLong(1, tagId);
            seen.setString(2, digest.toString());
            seen.setString(3, mediaType);
            seen.setLong(4, now.toEpochMilli());
            seen.setLong(5, now.toEpochMilli());
            seen.executeUpdate();
        }
    }

    /** Records the approval, replacing the tag's last one; the tag's open drift, if any, is dealt with by that. */
    public void approve(TagKey key, Approval approval) throws SQLException {
        updateTag(key, "approved_digest = ?, approved_ms = ?, approved_by = ?, approved_until_ms = ?, drift_from = NULL, drift_ms = NULL",
                "", approval.digest().toString(), approval.at().toEpochMilli(), approval.by().orElse(null),
                approval.expires().map(Instant::toEpochMilli).orElse(null));
    }

    /** Opens drift on the tag, moved away from {@code from}; an open drift keeps its first {@code from} and time. */
    public void openDrift(TagKey key, Digest from, Instant now) throws SQLException {
        updateTag(key, "drift_from = ?, drift_ms = ?", " AND drift_from IS NULL", from.toString(), now.toEpochMilli());
    }

    /** Records tamper found under the tag; {@code what} says where. It stays open until {@link #closeTamper}. */
    public void openTamper(TagKey key, String what, Instant now) throws SQLException {
        updateTag(key, "tamper = ?, tamper_ms = ?", "", what, now.toEpochMilli());
    }

    /**
     * {@code UPDATE registry_tags SET set WHERE id = ?condition} on the tag's row, made first if the tag
     * is new; {@code values} fill the ?s of {@code set} in order.
     */
    private void updateTag(TagKey key, String set, String condition, Object... values) throws SQLException {
        try (Connection db = database.connection()) {
            long tagId = tagId(db, key);
            try (PreparedStatement u = db.prepareStatement("UPDATE registry_tags SET " + set + " WHERE id = ?" + condition)) {
                for (int i = 0; i < values.length; i++) {
                    u.setObject(i + 1, values[i]);
                }
                u.setLong(values.length + 1, tagId);
                u.executeUpdate();
            }
        }
    }

    /** Closes the tag's open tamper, if any: its content verified intact. One statement, as every tag of every run calls it. */
    public void closeTamper(TagKey key) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement u = db.prepareStatement("UPDATE registry_tags "
                + "SET tamper = NULL, tamper_ms = NULL WHERE registry = ? AND repository = ? AND tag = ? AND tamper IS NOT NULL")) {
            bindKey(u, key, 1);
            u.executeUpdate();
        }
    }

    /** Every digest the tag has pointed to, oldest first. */
    public List<DigestRecord> history(TagKey key) throws SQLException {
        List<DigestRecord> records = new ArrayList<>();
        String select = "SELECT d.digest, d.media_type, d.first_seen_ms, d.last_seen_ms, t.current_digest, t.approved_digest, "
                + "t.approved_until_ms "
                + "FROM registry_tag_digests d JOIN registry_tags t ON t.id = d.tag_id "
                + "WHERE t.registry = ? AND t.repository = ? AND t.tag = ? ORDER BY d.first_seen_ms, "
                + database.dialect().insertionOrder("d");
        try (Connection db = database.connection(); PreparedStatement q = db.prepareStatement(select)) {
            bindKey(q, key, 1);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String digest = rs.getString(1);
                    long until = rs.getLong(7);
                    boolean active = rs.wasNull() || until > clock.millis();
                    records.add(new DigestRecord(Digest.parse(digest), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4)), digest.equals(rs.getString(5)), active && digest.equals(rs.getString(6))));
                }
            }
        }
        return records;
    }

    /** All tags with their state, for {@code status}: as of now, by the store's clock. */
    public List<TagStatus> tags() throws SQLException {
        Instant now = clock.instant();
        List<TagStatus> result = new ArrayList<>();
        try (Connection db = database.connection(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT t.registry, t.repository, t.tag, t.current_digest, "
                     + "(SELECT max(last_seen_ms) FROM registry_tag_digests d WHERE d.tag_id = t.id), "
                     + "t.drift_from, t.drift_ms, t.tamper, t.tamper_ms, " + APPROVAL
                     + " FROM registry_tags t ORDER BY t.registry, t.repository, t.tag")) {
            while (rs.next()) {
                Optional<TagStatus.Open<Digest>> drift = digest(rs.getString(6))
                        .map(d -> new TagStatus.Open<>(d, instant(rs, 7)));
                Optional<TagStatus.Open<String>> tamper = Optional.ofNullable(rs.getString(8))
                        .map(t -> new TagStatus.Open<>(t, instant(rs, 9)));
                result.add(new TagStatus(new TagKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                        digest(rs.getString(4)), approval(rs, 10), now, Instant.ofEpochMilli(rs.getLong(5)), drift, tamper));
            }
        }
        return result;
    }

    public void savePlatforms(String registry, String repository, Digest index, Map<String, Digest> platforms)
            throws SQLException {
        String upsert = database.dialect().upsert("registry_index_platforms",
                List.of("registry", "repository", "index_digest", "platform", "digest"),
                List.of("registry", "repository", "index_digest", "platform"), List.of("digest"));
        try (Connection db = database.connection(); PreparedStatement insert = db.prepareStatement(upsert)) {
            for (Map.Entry<String, Digest> p : platforms.entrySet()) {
                insert.setString(1, registry);
                insert.setString(2, repository);
                insert.setString(3, index.toString());
                insert.setString(4, p.getKey());
                insert.setString(5, p.getValue().toString());
                insert.executeUpdate();
            }
        }
    }

    /** The platform manifests of an index seen before; empty when the digest is no index or unknown. */
    public Map<String, Digest> platforms(String registry, String repository, Digest index) throws SQLException {
        Map<String, Digest> result = new LinkedHashMap<>();
        try (Connection db = database.connection(); PreparedStatement q = db.prepareStatement("SELECT platform, digest FROM registry_index_platforms "
                + "WHERE registry = ? AND repository = ? AND index_digest = ? ORDER BY platform")) {
            q.setString(1, registry);
            q.setString(2, repository);
            q.setString(3, index.toString());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), Digest.parse(rs.getString(2)));
                }
            }
        }
        return result;
    }

    public boolean verified(String registry, Digest digest) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement q = db.prepareStatement("SELECT 1 FROM registry_verified WHERE registry = ? AND digest = ?")) {
            q.setString(1, registry);
            q.setString(2, digest.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    public void markVerified(String registry, Digest digest, long size, Instant now) throws SQLException {
        String upsert = database.dialect().upsert("registry_verified", List.of("registry", "digest", "size", "verified_ms"),
                List.of("registry", "digest"), List.of("size", "verified_ms"));
        try (Connection db = database.connection(); PreparedStatement u = db.prepareStatement(upsert)) {
            u.setString(1, registry);
            u.setString(2, digest.toString());
            u.setLong(3, size);
            u.setLong(4, now.toEpochMilli());
            u.executeUpdate();
        }
    }

    /** Forgets a verification, so that content found broken is checked again by every run until it is fixed. */
    public void forgetVerified(String registry, Digest digest) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement d = db.prepareStatement("DELETE FROM registry_verified WHERE registry = ? AND digest = ?")) {
            d.setString(1, registry);
            d.setString(2, digest.toString());
            d.executeUpdate();
        }
    }

    public long startRun(Instant now) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement insert = db.prepareStatement("INSERT INTO registry_runs(started_ms) VALUES(?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, now.toEpochMilli());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public void finishRun(long id, Instant now, long tags, long drift, long tamper, long errors) throws SQLException {
        try (Connection db = database.connection(); PreparedStatement u = db.prepareStatement(
                "UPDATE registry_runs SET finished_ms = ?, tags = ?, drift = ?, tamper = ?, errors = ? WHERE id = ?")) {
            u.setLong(1, now.toEpochMilli());
            u.setLong(2, tags);
            u.setLong(3, drift);
            u.setLong(4, tamper);
            u.setLong(5, errors);
            u.setLong(6, id);
            u.executeUpdate();
        }
    }

    public Optional<RunRecord> lastRun() throws SQLException {
        try (Connection db = database.connection(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, started_ms, finished_ms, tags, drift, tamper, errors "
                     + "FROM registry_runs ORDER BY id DESC LIMIT 1")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            long finished = rs.getLong(3);
            Optional<Instant> end = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
            return Optional.of(new RunRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), end,
                    rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
        }
    }

    private long tagId(Connection db, TagKey key) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(database.dialect().insertIfAbsent("registry_tags",
                List.of("registry", "repository", "tag"), List.of("registry", "repository", "tag")));
             PreparedStatement q = db.prepareStatement(
                     "SELECT id FROM registry_tags WHERE registry = ? AND repository = ? AND tag = ?")) {
            bindKey(insert, key, 1);
            insert.executeUpdate();
            bindKey(q, key, 1);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bindKey(PreparedStatement s, TagKey key, int first) throws SQLException {
        s.setString(first, key.registry());
        s.setString(first + 1, key.repository());
        s.setString(first + 2, key.tag());
    }

    /** The approval's columns from {@code first} on, as {@link #APPROVAL} lists them; empty when the tag has none. */
    private static Optional<Approval> approval(ResultSet rs, int first) throws SQLException {
        String digest = rs.getString(first);
        if (digest == null) {
            return Optional.empty();
        }
        long at = rs.getLong(first + 1);
        String by = rs.getString(first + 2);
        long until = rs.getLong(first + 3);
        Optional<Instant> expires = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(until));
        return Optional.of(new Approval(Digest.parse(digest), Instant.ofEpochMilli(at), Optional.ofNullable(by), expires));
    }

    private static Instant instant(ResultSet rs, int column) {
        try {
            return Instant.ofEpochMilli(rs.getLong(column));
        } catch (SQLException e) {
            throw new IllegalStateException("reading column " + column + " of registry_tags failed: " + e.getMessage(), e);
        }
    }

    private static Optional<Digest> digest(String text) {
        return text == null ? Optional.empty() : Optional.of(Digest.parse(text));
    }
}
