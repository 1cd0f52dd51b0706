package io.driftguard.core.store;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.toml.TomlTable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Where the store is, from {@code [store]}: the SQLite file {@code path} (the default), or with
 * {@code url = "postgresql://host[:port]/database"} a PostgreSQL database that a fleet of hosts
 * shares. Credentials never appear in the url (which is shown in messages): {@code user}, and the
 * password from {@code password_file} or the environment variable {@code password_env}, read when
 * the store is opened. {@code ssl_mode} is pgjdbc's sslmode, verify-full unless set;
 * {@code ssl_root_cert} the CA file; {@code outbox_max_events} how many events a host queues
 * while the database does not answer.
 */
public sealed interface StoreSettings {
    Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    /** A million events: about as much as the default [store] max_size of events takes. */
    long DEFAULT_OUTBOX_MAX_EVENTS = 1_000_000;
    long MIN_OUTBOX_MAX_EVENTS = 1_000;

    /** This host's own folder for state beside the store (0700): the folder of {@code path}. */
    Path folder();

    /** The embedded default. */
    record Sqlite(Path file) implements StoreSettings {
        @Override
        public Path folder() {
            return file.toAbsolutePath().getParent();
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    /**
     * A PostgreSQL database; {@code password} is where the password is, not the password.
     * {@code localCache} is {@code [store] path}: the SQLite file of this host's cache and outbox,
     * which holds up to {@code outboxMaxEvents} events.
     */
    record Postgres(String host, int port, String database, String user, Optional<Path> passwordFile,
                    Optional<String> passwordEnv, String sslMode, Optional<Path> sslRootCert, Path localCache, long outboxMaxEvents)
            implements StoreSettings {

        @Override
        public Path folder() {
            return localCache.toAbsolutePath().getParent();
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        /** The password, read now; the message of a failure names where it was looked for, never a value. */
        public Optional<String> password() throws IOException {
            if (passwordFile.isPresent()) {
                try {
                    return Optional.of(Files.readString(passwordFile.get()).strip());
                } catch (IOException e) {
                    throw new IOException("cannot read [store] password_file " + passwordFile.get() + ": " + e.getMessage(), e);
                }
            }
            if (passwordEnv.isPresent()) {
                String value = System.getenv(passwordEnv.get());
                if (value == null) {
                    throw new IOException("[store] password_env names " + passwordEnv.get() + ", which is not set");
                }
                return Optional.of(value);
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** Reads {@code [store]}; bad values are problems naming the key. The caller finishes the table. */
    static StoreSettings read(ConfigFile config, TomlTable store) {
        Path path = config.path(store, "path", ConfigFile.DEFAULT_STORE);
        Optional<String> url = store.string("url");
        if (url.isEmpty()) {
            for (String key : new String[] {"user", "password_file", "password_env", "ssl_mode", "ssl_root_cert", "outbox_max_events"}) {
                if (store.has(key)) {
                    store.problem(key, "applies only with [store] url (a PostgreSQL store)");
                }
            }
            return new Sqlite(path);
        }
        URI uri;
        try {
            uri = new URI(url.get());
        } catch (URISyntaxException e) {
            store.problem("url", "must be postgresql://host[:port]/database: " + e.getMessage());
            return new Sqlite(path);
        }
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null || database.isEmpty() || database.contains("/")) {
            store.problem("url", "must be postgresql://host[:port]/database");
        }
        if (uri.getRawUserInfo() != null) {
            store.problem("url", "must not hold credentials: set user, and password_file or password_env");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            store.problem("url", "takes no parameters: TLS is set with ssl_mode and ssl_root_cert");
        }
        if (store.has("password_file") && store.has("password_env")) {
            store.problem("password_env", "give either password_file or password_env, not both");
        }
        String sslMode = store.string("ssl_mode").orElse("verify-full");
        if (!SSL_MODES.contains(sslMode)) {
            store.problem("ssl_mode", "must be one of " + String.join(", ", new java.util.TreeSet<>(SSL_MODES)) + ", not '" + sslMode + "'");
        }
        Optional<Path> passwordFile = store.has("password_file") ? Optional.of(config.path(store, "password_file", "")) : Optional.empty();
        Optional<Path> rootCert = store.has("ssl_root_cert") ? Optional.of(config.path(store, "ssl_root_cert", "")) : Optional.empty();
        long outboxMax = store.integer("outbox_max_events").orElse(DEFAULT_OUTBOX_MAX_EVENTS);
        if (outboxMax < MIN_OUTBOX_MAX_EVENTS) {
            store.problem("outbox_max_events", "must be at least " + MIN_OUTBOX_MAX_EVENTS + ", not " + outboxMax);
        }
        return new Postgres(uri.getHost() == null ? "" : uri.getHost(), uri.getPort() == -1 ? 5432 : uri.getPort(), database,
                store.string("user").orElse("driftguard"), passwordFile, store.string("password_env"), sslMode, rootCert,
                path.toAbsolutePath(), outboxMax);
    }
}
