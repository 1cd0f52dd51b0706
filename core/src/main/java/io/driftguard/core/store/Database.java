package io.driftguard.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.driftguard.core.fs.TrustedPath;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The store seam: where the stores' SQL runs. It hands out connections from a pool, knows the SQL
 * {@link Dialect} and applies each component's versioned migrations ({@link Migrations}). Stores
 * borrow a connection per operation and close it; they hold no lock of their own.
 *
 * <p>SQLite, the embedded default, gets a pool of one connection: SQLite has one writer at a time,
 * so the pool is what serialises a store's callers, and a program that opens two stores (the daemon:
 * events, baselines) gets two connections whose writers do not wait on each other's Java locks. The
 * folder is created 0700 and the file 0600 before SQLite touches them (SQLite gives the WAL files
 * the database file's mode); a file that exists already is made 0600, and a folder that others
 * could write is refused ({@link TrustedPath}). PostgreSQL, for a fleet of hosts, gets a small pool;
 * the SQL is the same but for what {@link Dialect} says, and its tables come from its own migration folder.
 */
public final class Database implements AutoCloseable {
    private static final int BUSY_TIMEOUT_MS = 5000;
    private static final int POSTGRES_POOL = 4;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The advisory lock key (any constant of this program's own) held while a PostgreSQL store migrates. */
    private static final long MIGRATION_LOCK = 0x64726966_74677264L;
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final StoreSettings settings;
    private final Dialect dialect;
    private final DataSource migrating; // for Flyway: outside the pool, write-locking transactions on SQLite
    private final HikariDataSource pool;
    private volatile boolean fleetMigrated;

    private Database(StoreSettings settings, Dialect dialect, DataSource migrating, HikariDataSource pool) {
        this.settings = settings;
        this.dialect = dialect;
        this.migrating = migrating;
        this.pool = pool;
    }

    /** Opens the store the settings name: the SQLite file (created when missing) or the PostgreSQL database. */
    public static Database open(StoreSettings settings) throws IOException, SQLException {
        if (settings instanceof StoreSettings.Postgres postgres) {
            return openPostgres(postgres);
        }
        return open(((StoreSettings.Sqlite) settings).file());
    }

    /** Opens (creating when missing) the SQLite store {@code file}. */
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
        SQLiteConfig pragmas = new SQLiteConfig();
        pragmas.setJournalMode(SQLiteConfig.JournalMode.WAL);
        pragmas.setBusyTimeout(BUSY_TIMEOUT_MS);
        pragmas.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        pragmas.enforceForeignKeys(true);
        SQLiteDataSource sqlite = new SQLiteDataSource(pragmas);
        sqlite.setUrl("jdbc:sqlite:" + absolute);
        // Migrations take the write lock when their transaction begins (waiting up to the busy
        // timeout): a deferred one that read first fails at once with SQLITE_BUSY_SNAPSHOT when
        // another connection to the file (the event writer, the other program) wrote meanwhile.
        SQLiteConfig migrating = new SQLiteConfig(pragmas.toProperties());
        migrating.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource migrations = new SQLiteDataSource(migrating);
        migrations.setUrl("jdbc:sqlite:" + absolute);
        HikariConfig config = new HikariConfig();
        config.setDataSource(sqlite);
        config.setPoolName("store " + absolute.getFileName());
        config.setMaximumPoolSize(1);
        // One connection for the life of the program: nothing on the server side to recycle it for.
        config.setMaxLifetime(0);
        return new Database(new StoreSettings.Sqlite(absolute), Dialect.SQLITE, migrations, startPool(config, absolute.toString()));
    }

    /**
     * A pool of a few connections to a PostgreSQL store. Nothing on a decision path waits for it;
     * a connection that cannot be had within {@code CONNECT_TIMEOUT} fails the call.
     */
    private static Database openPostgres(StoreSettings.Postgres settings) throws IOException, SQLException {
        HikariConfig config = postgresConfig(settings, CONNECT_TIMEOUT);
        HikariDataSource pool = startPool(config, settings.toString());
        return new Database(settings, Dialect.POSTGRESQL, pool, pool);
    }

    /**
     * A pool for a PostgreSQL store that may not answer now: it opens without a connection, and a
     * call that cannot get one within {@code connectTimeout} fails; nothing is migrated until
     * {@link #migrate} is called. For the daemon, which keeps working from its local cache meanwhile.
     */
    public static Database openUnreachable(StoreSettings.Postgres settings, Duration connectTimeout) throws IOException {
        HikariConfig config = postgresConfig(settings, connectTimeout);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        return new Database(settings, Dialect.POSTGRESQL, pool, pool);
    }

    private static HikariConfig postgresConfig(StoreSettings.Postgres settings, Duration connectTimeout) throws IOException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setDataSourceProperties(connectionProperties(settings, connectTimeout));
        config.setPoolName("store " + settings.database());
        config.setMaximumPoolSize(POSTGRES_POOL);
        config.setConnectionTimeout(connectTimeout.toMillis());
        return config;
    }

    /** pgjdbc's properties for the store: credentials, TLS, and bounded connect and socket waits. */
    private static Properties connectionProperties(StoreSettings.Postgres settings, Duration connectTimeout) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        settings.password().ifPresent(password -> properties.setProperty("password", password));
        properties.setProperty("sslmode", settings.sslMode());
        settings.sslRootCert().ifPresent(ca -> properties.setProperty("sslrootcert", ca.toString()));
        properties.setProperty("ApplicationName", "driftguard");
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        // A server that stops answering mid-query fails the call instead of holding its thread for good.
        properties.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        // One multi-row INSERT per batch instead of a round trip per row (event batches).
        properties.setProperty("reWriteBatchedInserts", "true");
        return properties;
    }

    /**
     * A connection of its own outside the pool, for a holder that keeps it open (LISTEN); the
     * caller closes it. Only for a PostgreSQL store.
     */
    public Connection dedicatedConnection(Duration connectTimeout) throws SQLException, IOException {
        if (!(settings instanceof StoreSettings.Postgres postgres)) {
            throw new IllegalStateException("a dedicated connection is only for a PostgreSQL store");
        }
        Properties properties = connectionProperties(postgres, connectTimeout);
        // A dead server is noticed by the next read instead of after TCP's own timeout of minutes.
        properties.setProperty("tcpKeepAlive", "true");
        return new org.postgresql.Driver().connect(postgres.jdbcUrl(), properties);
    }

    private static HikariDataSource startPool(HikariConfig config, String where) throws SQLException {
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new SQLException("cannot open " + where + ": " + cause.getMessage(), cause);
        }
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

    public StoreSettings settings() {
        return settings;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** A connection of this store's own, until the caller closes it; others wait for it meanwhile. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Whether {@code table} exists and has {@code column}: a program may read tables of another's newer or older version. */
    public boolean hasColumn(String table, String column) throws SQLException {
        try (Connection c = connection(); ResultSet rs = c.getMetaData().getColumns(null, null, table, column)) {
            return rs.next();
        }
    }

    /** Brings {@code component}'s tables to the newest schema this program has; see {@link Migrations}. */
    public void migrate(String component) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            Migrations.apply(migrating, dialect, component, settings.toString());
            return;
        }
        // Hosts that start together would race to create the same history tables: one at a time.
        try (Connection lock = pool.getConnection(); Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            try {
                if (!fleetMigrated) {
                    // The shared revisions and NOTIFY function that other components' triggers call.
                    Migrations.apply(migrating, dialect, "fleet", settings.toString());
                    fleetMigrated = true;
                }
                if (!component.equals("fleet")) {
                    Migrations.apply(migrating, dialect, component, settings.toString());
                }
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
