package io.driftguard.core.store;

import io.driftguard.core.fs.TrustedPath;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite file both programs keep their state in. Its folder is created 0700 and the file 0600
 * before SQLite touches them (SQLite gives the WAL files the database file's mode); a file that
 * exists already is made 0600, and a folder that others could write is refused ({@link TrustedPath}). Each component
 * owns numbered migrations, applied once, in order, in one transaction each.
 */
public final class Database implements AutoCloseable {
    private final Path file;
    private final Connection connection;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    public static Database open(Path file) throws IOException, SQLException {
        Path absolute = file.toAbsolutePath();
        createPrivateDirectories(absolute.getParent());
        TrustedPath.require(absolute.getParent());
        try {
            Files.createFile(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException existing) {
            // A file made by an older version, a restore or by hand: private all the same.
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path part = Path.of(absolute + suffix);
                if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-------"));
                }
            }
        }
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + absolute);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
        } catch (SQLException e) {
            connection.close();
            throw new SQLException("cannot prepare " + absolute + ": " + e.getMessage(), e);
        }
        return new Database(absolute, connection);
    }

    /** Creates missing folders with mode 0700; folders that already exist are left as they are. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createPrivateDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // Another process made it first.
        }
    }

    public Path file() {
        return file;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Applies the statements of {@code steps} that this database has not seen yet for
     * {@code component}; step i (from 0) is schema version i + 1.
     */
    public synchronized void migrate(String component, List<String> steps) throws SQLException {
        int current = 0;
        try (PreparedStatement q = connection.prepareStatement("SELECT version FROM schema_migrations WHERE component = ?")) {
            q.setString(1, component);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
        }
        if (current > steps.size()) {
            throw new SQLException(file + " has schema version " + current + " of " + component
                    + ", newer than this program knows (" + steps.size() + ")");
        }
        for (int version = current + 1; version <= steps.size(); version++) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement();
                 PreparedStatement record = connection.prepareStatement(
                         "INSERT INTO schema_migrations(component, version) VALUES(?, ?) "
                                 + "ON CONFLICT(component) DO UPDATE SET version = excluded.version")) {
                s.executeUpdate(steps.get(version - 1));
                record.setString(1, component);
                record.setInt(2, version);
                record.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw new SQLException("migration " + component + " " + version + " failed on " + file + ": " + e.getMessage(), e);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
